import { NUMBER, SLUG, UUID, parseStrictUrl } from "../strict-url.ts";
import type { BuildRef, ResolveInput } from "../types.ts";
import type { BuildkiteRef } from "./schema.ts";

export const BUILDKITE_WEB_HOST = "buildkite.com";

/** One query parameter at most once, and a uuid when present; `undefined` when malformed. */
function uuidParam(query: URLSearchParams, name: string): string | null | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return null;
  const value = values[0] ?? "";
  return values.length === 1 && UUID.test(value) ? value.toLowerCase() : undefined;
}

/**
 * Buildkite build links (see shared/research/providers.md §2.1):
 * `/<org>/<pipeline>/builds/<n>`, with a job as `#<job-uuid>` or `?jid=<job-uuid>`, or a step as `?sid=<step-uuid>`,
 * and the newer `/<org>/<pipeline>/builds/<n>/steps/canvas?jid=…|sid=…`.
 */
export function resolveBuildkite(input: ResolveInput): BuildRef<BuildkiteRef> | null {
  const url = parseStrictUrl(input.url, [BUILDKITE_WEB_HOST]);
  if (!url) return null;
  const [org = "", pipeline = "", builds = "", number = "", ...rest] = url.segments;
  if (builds !== "builds" || !SLUG.test(org) || !SLUG.test(pipeline) || !NUMBER.test(number)) return null;
  const onCanvas = rest.length === 2 && rest[0] === "steps" && rest[1] === "canvas";
  if (rest.length > 0 && !onCanvas) return null;

  const jid = uuidParam(url.query, "jid");
  const sid = uuidParam(url.query, "sid");
  if (jid === undefined || sid === undefined) return null;
  let anchored: string | null = null;
  if (url.fragment) {
    if (!UUID.test(url.fragment)) return null;
    anchored = url.fragment.toLowerCase();
  }
  if (jid && anchored && jid !== anchored) return null;
  const job = jid ?? anchored;
  if (job && sid) return null;

  const build = `${org}/${pipeline}#${number}`;
  const ids = { org, pipeline, number };
  if (job) return { provider: "buildkite", ids: { kind: "job", ...ids, job }, key: `buildkite:${build}:job:${job}` };
  if (sid) return { provider: "buildkite", ids: { kind: "step", ...ids, step: sid }, key: `buildkite:${build}:step:${sid}` };
  return { provider: "buildkite", ids: { kind: "build", ...ids }, key: `buildkite:${build}` };
}
