/**
 * Pino `redact` settings for the process logger that Probot's access log (pino-http) writes through.
 *
 * pino-http binds the request to its logger when the request arrives, before any handler runs, so a handler
 * cannot keep `?code=…&state=…` of the OAuth callback, or the session cookie, out of that line by itself. The
 * process logger must be built with these settings: `pino({ redact: accessLogRedaction, ... })`. (Probot's
 * Server ignores its `loggingOptions`, so this is the one place it can be done.)
 */
export const accessLogRedaction = {
  paths: [
    "req.url",
    "req.headers.cookie",
    "req.headers.authorization",
    'res.headers["set-cookie"]',
    "res.headers.location",
  ],
  censor: (value: unknown, path: string[]): unknown => {
    if (path.join(".") === "req.url" && typeof value === "string") return withoutQuery(value);
    return "[redacted]";
  },
};

/** The path of a request URL, with any query string replaced by a marker. */
export function withoutQuery(url: string): string {
  const index = url.indexOf("?");
  return index === -1 ? url : `${url.slice(0, index)}?[redacted]`;
}
