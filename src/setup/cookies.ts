import type { IncomingMessage } from "node:http";

/**
 * `__Host-` cookies: Secure, Path=/, no Domain, so no other host or path can set or read them. Browsers accept
 * Secure cookies from http://localhost and http://127.0.0.1 too (checked with Chromium), so local runs need no
 * weaker variant.
 */
export const SESSION_COOKIE = "__Host-ci-mender-session";
/** Binds an OAuth `state` to the browser that started the sign-in. */
export const LOGIN_COOKIE = "__Host-ci-mender-login";

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const index = pair.indexOf("=");
    if (index > 0 && pair.slice(0, index).trim() === name) return pair.slice(index + 1).trim();
  }
  return undefined;
}

export function setCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(maxAgeSeconds)}`;
}

export function clearCookie(name: string): string {
  return `${name}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`;
}
