import type { ServerResponse } from "node:http";
import type { Html } from "./html.ts";
import { CONTENT_SECURITY_POLICY } from "./views/layout.ts";

// Headers go to writeHead, never setHeader: Node then keeps no copy, so the access logger's `res.getHeaders()`
// never sees a Set-Cookie (session id) or a Location (OAuth state).
const COMMON = {
  "cache-control": "no-store",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
};

export function sendPage(
  res: ServerResponse,
  status: number,
  page: Html,
  extra: { cookies?: string[]; headers?: Record<string, string> } = {},
): void {
  const cookies = extra.cookies ?? [];
  const body = Buffer.from(page.value, "utf8");
  res
    .writeHead(status, {
      ...COMMON,
      "content-type": "text/html; charset=utf-8",
      "content-length": String(body.length),
      "content-security-policy": CONTENT_SECURITY_POLICY,
      ...(cookies.length ? { "set-cookie": cookies } : {}),
      ...(status === 413 || status === 415 ? { connection: "close" } : {}),
      ...extra.headers,
    })
    .end(body);
}

/** 303: after a form post the browser follows with a GET, so reloading never posts again. */
export function redirect(res: ServerResponse, location: string, cookies: string[] = [], status: 302 | 303 = 303): void {
  res.writeHead(status, { ...COMMON, location, "content-length": "0", ...(cookies.length ? { "set-cookie": cookies } : {}) }).end();
}
