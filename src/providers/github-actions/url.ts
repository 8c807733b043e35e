import { parseStrictUrl } from "../strict-url.ts";
import type { BuildRef, ProviderSettings, ResolveInput } from "../types.ts";
import { type ActionsRef, ID, OWNER, REPO } from "./schema.ts";

/** The app GitHub Actions reports check runs as; its check run id is the job id. */
export const ACTIONS_APP_SLUG = "github-actions";


function jobRef(job: string, where?: { owner: string; repo: string; run: string }): BuildRef<ActionsRef> {
  return { provider: "github-actions", ids: { kind: "job", job, ...where }, key: `github-actions:job:${job}` };
}

/** The configured GitHub web host (github.com, or a GitHub Enterprise Server served over https). */
function webHosts(settings: ProviderSettings): string[] {
  const web = settings.githubWebUrl;
  return web.protocol === "https:" && web.port === "" ? [web.hostname] : [];
}

/**
 * A check run from the GitHub Actions app names its job by id, whatever its `details_url` says; a link names
 * `/<owner>/<repo>/actions/runs/<run>` or `…/runs/<run>/job/<job>` on the configured GitHub host.
 */
export function resolveGithubActions(input: ResolveInput, settings: ProviderSettings): BuildRef<ActionsRef> | null {
  const checkRunId = input.checkRunId;
  if (input.appSlug === ACTIONS_APP_SLUG && typeof checkRunId === "number" && ID.test(String(checkRunId))) {
    return jobRef(String(checkRunId));
  }
  const url = parseStrictUrl(input.url, webHosts(settings));
  if (!url) return null;
  const [owner = "", repo = "", actions = "", runs = "", run = "", job = "", jobId = ""] = url.segments;
  if (actions !== "actions" || runs !== "runs" || !OWNER.test(owner) || !REPO.test(repo) || !ID.test(run)) return null;
  if (url.segments.length === 5) {
    return { provider: "github-actions", ids: { kind: "run", owner, repo, run }, key: `github-actions:run:${run}` };
  }
  if (url.segments.length === 7 && job === "job" && ID.test(jobId)) return jobRef(jobId, { owner, repo, run });
  return null;
}
