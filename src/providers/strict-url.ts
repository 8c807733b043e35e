/** A URL from a webhook that passed the shape every provider grammar starts from. */
export interface StrictUrl {
  host: string;
  /** Decoded-free path segments (no empty ones, no dot segments, no percent escapes). */
  segments: string[];
  query: URLSearchParams;
  /** Fragment without the leading `#`. */
  fragment: string;
}

/** Characters a path segment may hold. Everything else (`%`, `\`, `@`, spaces, controls) means "not ours". */
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Parses a URL taken from a webhook for identifiers only. It is recognised only when it is https on the default
 * port, has no userinfo, its host is exactly one of `hosts` (no trailing dot, no look-alike, no IDN), and no path
 * segment is a dot segment or carries percent escapes (which a later decode could turn into `/` or `..`).
 * `operatorOrigins` (origins the operator configured, e.g. a CircleCI server install) match on their exact
 * scheme, host and port instead. The URL itself is never fetched.
 */
export function parseStrictUrl(
  raw: string | null | undefined,
  hosts: readonly string[],
  operatorOrigins: readonly URL[] = [],
): StrictUrl | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return null;
  // Backslashes and controls are reinterpreted by WHATWG parsing (`\` becomes `/`); percent escapes could decode
  // into separators: a real provider link has none of them.
  // eslint-disable-next-line no-control-regex
  if (/[\\\s\u0000-\u001f\u007f%]/.test(raw)) return null;
  const head = /^https?:\/\/([^/?#]+)/i.exec(raw);
  const authority = head?.[1] ?? "";
  if (!head || authority.includes("@") || authority.endsWith(".")) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  const byHost =
    url.protocol === "https:" && !authority.includes(":") && hosts.includes(url.hostname) && url.hostname === authority.toLowerCase();
  const byOperator = operatorOrigins.some((origin) => origin.origin === url.origin && origin.host === authority.toLowerCase());
  if (!byHost && !byOperator) return null;
  const rawPath = raw.slice(head[0].length).split(/[?#]/, 1)[0] ?? "";
  const segments = rawPath.split("/").filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment === "." || segment === ".." || !SEGMENT.test(segment))) return null;
  return { host: url.hostname, segments, query: url.searchParams, fragment: url.hash.replace(/^#/, "") };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NUMBER = /^[1-9][0-9]{0,11}$/;
export const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
