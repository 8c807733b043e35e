import { UnsafeUrl } from "../errors.ts";

/** A storage host a provider hands out signed log URLs on: an exact name, or an anchored pattern. */
export type LogHostRule = string | RegExp;

/**
 * Checks a signed log URL that a provider API returned before it is fetched (with no credentials): https on the
 * default port, no userinfo, and a host on the provider's list or the operator's `CI_MENDER_LOG_HOSTS` (where
 * plain http is accepted too, for a CircleCI server install's object store or a loopback test host).
 */
export function checkLogUrl(raw: string, rules: readonly LogHostRule[], extraHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrl("the provider returned a log URL that is not a valid URL; it was not fetched");
  }
  const host = url.hostname.toLowerCase();
  const refuse = (why: string) => new UnsafeUrl(`the log URL on ${host || "an empty host"} was not fetched: ${why}`);
  if (url.username || url.password) throw refuse("it carries credentials");
  const operatorHost = extraHosts.includes(host);
  if (operatorHost) {
    if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse("only http(s) is fetched");
    return url;
  }
  if (url.protocol !== "https:") throw refuse("only https is fetched from storage hosts");
  if (url.port !== "") throw refuse("only the default port is fetched");
  const known = rules.some((rule) => (typeof rule === "string" ? rule === host : rule.test(host)));
  if (!known) throw refuse("the host is not a known log storage host (add it to CI_MENDER_LOG_HOSTS to allow it)");
  return url;
}
