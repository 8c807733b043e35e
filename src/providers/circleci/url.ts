import type { BuildRef, ProviderSettings, ResolveInput } from "../types.ts";
import type { CircleciRef } from "./schema.ts";
import { NUMBER, SLUG, UUID, parseStrictUrl } from "../strict-url.ts";

const PUBLIC_HOSTS = ["circleci.com", "app.circleci.com"];
const VCS = new Map([
  ["gh", "github"],
  ["github", "github"],
  ["bb", "bitbucket"],
  ["bitbucket", "bitbucket"],
]);

/**
 * Project slug as CircleCI's v1.1 API wants it: `github/<org>/<repo>`, or the opaque
 * `circleci/<org-id>/<project-id>` of GitHub App integrations (kept verbatim, never parsed for names).
 */
function projectSlug(vcs: string, org: string, repo: string): string | null {
  const full = VCS.get(vcs);
  if (full) return SLUG.test(org) && SLUG.test(repo) ? `${full}/${org}/${repo}` : null;
  if (vcs === "circleci") return UUID.test(org) && UUID.test(repo) ? `circleci/${org}/${repo}` : null;
  return null;
}

/** What may follow a job number in a job link: its artifacts, tests or one parallel run. */
function isJobPageTail(rest: readonly string[]): boolean {
  if (rest.length === 0) return true;
  if (rest.length === 1) return rest[0] === "artifacts" || rest[0] === "tests";
  return rest.length === 2 && rest[0] === "parallel-runs" && /^[0-9]{1,4}$/.test(rest[1] ?? "");
}

function jobRef(slug: string, job: string): BuildRef<CircleciRef> {
  return { provider: "circleci", ids: { kind: "job", slug, job }, key: `circleci:job:${slug}/${job}` };
}

function workflowRef(workflow: string): BuildRef<CircleciRef> {
  const id = workflow.toLowerCase();
  return { provider: "circleci", ids: { kind: "workflow", workflow: id }, key: `circleci:workflow:${id}` };
}

/** The workflow id CircleCI Checks puts in `external_id`: `{"workflow-id":"<uuid>", ...}`. */
function workflowFromExternalId(externalId: string | null | undefined): string | null {
  if (!externalId || externalId.length > 1_000) return null;
  try {
    const parsed: unknown = JSON.parse(externalId);
    const id = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>)["workflow-id"] : null;
    return typeof id === "string" && UUID.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** Every link form CircleCI posts to GitHub (see shared/research/providers.md §1.2). */
function fromUrl(raw: string | null | undefined, settings: ProviderSettings): BuildRef<CircleciRef> | null {
  // A CircleCI server install serves its web pages on the API origin the operator configured.
  const url = parseStrictUrl(raw, PUBLIC_HOSTS, [settings.apiOrigins.circleci]);
  if (!url) return null;
  const s = url.segments;
  const [first = "", second = "", third = "", fourth = "", fifth = ""] = s;

  // circleci.com/gh/<org>/<repo>/<job>
  if (s.length === 4 && VCS.has(first) && NUMBER.test(fourth)) {
    const slug = projectSlug(first, second, third);
    return slug ? jobRef(slug, fourth) : null;
  }
  // circleci.com/workflow-run/<id> and app.circleci.com/workflow/<id>
  if (s.length === 2 && (first === "workflow-run" || first === "workflow") && UUID.test(second)) {
    return workflowRef(second);
  }
  // app.circleci.com/jobs/<vcs>/<org>/<repo>/<job>[/artifacts|/tests|/parallel-runs/<n>]
  if (first === "jobs" && s.length >= 5 && NUMBER.test(fifth)) {
    const slug = projectSlug(second, third, fourth);
    return slug && isJobPageTail(s.slice(5)) ? jobRef(slug, fifth) : null;
  }
  // app.circleci.com/pipelines/<vcs>/<org>/<repo>/<n>/workflows/<id>[/jobs/<job>[/...]]
  if (first === "pipelines" && s.length >= 7 && NUMBER.test(fifth) && s[5] === "workflows" && UUID.test(s[6] ?? "")) {
    const slug = projectSlug(second, third, fourth);
    if (!slug) return null;
    const rest = s.slice(7);
    if (rest.length === 0) return workflowRef(s[6] ?? "");
    return rest[0] === "jobs" && NUMBER.test(rest[1] ?? "") && isJobPageTail(rest.slice(2))
      ? jobRef(slug, rest[1] ?? "")
      : null;
  }
  return null;
}

export function resolveCircleci(input: ResolveInput, settings: ProviderSettings): BuildRef<CircleciRef> | null {
  if (input.appSlug === "circleci-checks") {
    const workflow = workflowFromExternalId(input.externalId);
    if (workflow) return workflowRef(workflow);
  }
  return fromUrl(input.url, settings);
}
