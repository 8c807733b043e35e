import { UUID, parseStrictUrl } from "../strict-url.ts";
import type { BuildRef, ResolveInput } from "../types.ts";
import { BITRISE_SLUG, type BitriseRef } from "./schema.ts";

export { BITRISE_SLUG };

export const BITRISE_WEB_HOST = "app.bitrise.io";


/** The default status context `ci/bitrise/<app-slug>/<event>`: the only place a `/build/<slug>` link names its app. */
const DEFAULT_CONTEXT = /^ci\/bitrise\/([0-9a-f]{16}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/[A-Za-z0-9_-]{1,40}$/i;

/** `app` when the link names the app; `appHint` when only the (user-editable) status context does. */
function buildRef(build: string, app: { app: string } | { appHint: string } | null): BuildRef<BitriseRef> {
  return { provider: "bitrise", ids: { kind: "build", build, ...app }, key: `bitrise:build:${build}` };
}

/**
 * Bitrise links (see shared/research/providers.md §3.1): `/build/<build-slug>` (statuses),
 * `/app/<app-slug>/build/<build-slug>`, and `/app/<app-slug>/pipelines/<pipeline-id>` (GitHub App check runs).
 * Query and fragment (`#?tab=log`) carry no ids and are ignored.
 */
export function resolveBitrise(input: ResolveInput): BuildRef<BitriseRef> | null {
  const url = parseStrictUrl(input.url, [BITRISE_WEB_HOST]);
  if (!url) return null;
  const s = url.segments;
  const [first = "", second = "", third = "", fourth = ""] = s;
  if (s.length === 2 && first === "build" && BITRISE_SLUG.test(second)) {
    const hint = DEFAULT_CONTEXT.exec(input.context ?? "")?.[1];
    return buildRef(second.toLowerCase(), hint ? { appHint: hint.toLowerCase() } : null);
  }
  if (s.length !== 4 || first !== "app" || !BITRISE_SLUG.test(second)) return null;
  const app = second.toLowerCase();
  if (third === "build" && BITRISE_SLUG.test(fourth)) return buildRef(fourth.toLowerCase(), { app });
  if (third === "pipelines" && UUID.test(fourth)) {
    const pipeline = fourth.toLowerCase();
    return { provider: "bitrise", ids: { kind: "pipeline", app, pipeline }, key: `bitrise:pipeline:${pipeline}` };
  }
  return null;
}
