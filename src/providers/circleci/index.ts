import { TokenInvalid } from "../../errors.ts";
import type { LogChunk } from "../../logs/types.ts";
import { assertBuildOfEvent, parseGitRemote } from "../build-origin.ts";
import { checkLogUrl, type LogHostRule } from "../log-hosts.ts";
import type { BuildRef, CiProvider, FailedJob, FetchContext, TokenCheck, VerifyContext } from "../types.ts";
import { CircleciLog, CircleciRef, type FailedSteps, JobDetails, Me, Pipeline, Workflow, WorkflowJobs } from "./schema.ts";
import { stepOutputText } from "./step-output.ts";
import { resolveCircleci } from "./url.ts";

const NAME = "CircleCI";

/** Where CircleCI keeps step output (presigned S3 URLs from the v1.1 API). */
const LOG_HOSTS: readonly LogHostRule[] = [
  "circle-production-action-output.s3.amazonaws.com",
  /^circle-production-action-output\.s3\.[a-z0-9-]+\.amazonaws\.com$/,
];

/** Job outcomes that mean "this job failed" (v2 and v1.1 words). */
const FAILED = new Set(["failed", "infrastructure_fail", "timedout", "terminated-unknown"]);
const MAX_WORKFLOW_PAGES = 20;

function headers(token: string): Record<string, string> {
  return { "circle-token": token };
}

function api(ctx: { settings: FetchContext["settings"] }, path: string): URL {
  return new URL(path, ctx.settings.apiOrigins.circleci);
}

/** v1.1 spells the VCS out (`github/org/repo`) where v2 slugs abbreviate it (`gh/org/repo`). */
function v11Path(slug: string, job: string | number): string {
  const [vcs = "", ...rest] = slug.split("/");
  const full = vcs === "gh" ? "github" : vcs === "bb" ? "bitbucket" : vcs;
  return `/api/v1.1/project/${[full, ...rest].map(encodeURIComponent).join("/")}/${encodeURIComponent(String(job))}`;
}

function webUrl(details: JobDetails, slug: string, ctx: FetchContext): string {
  const hosts = ["circleci.com", "app.circleci.com", ctx.settings.apiOrigins.circleci.hostname];
  try {
    const url = new URL(details.build_url ?? "");
    if ((url.protocol === "https:" || url.origin === ctx.settings.apiOrigins.circleci.origin) && hosts.includes(url.hostname)) {
      return url.toString();
    }
  } catch {
    // fall through to a link we build ourselves
  }
  const [vcs, ...rest] = slug.split("/");
  return vcs === "circleci"
    ? `https://app.circleci.com/pipelines/${slug}`
    : `https://app.circleci.com/jobs/${vcs}/${rest.join("/")}/${details.build_num}`;
}

async function jobDetails(slug: string, job: string | number, ctx: FetchContext): Promise<JobDetails> {
  return ctx.http.getJson(api(ctx, v11Path(slug, job)), JobDetails, { provider: NAME, headers: headers(ctx.token) });
}

function toFailedJob(details: JobDetails, slug: string, fallbackName: string, ctx: FetchContext): FailedJob<CircleciLog> {
  const steps: FailedSteps = details.steps.flatMap((step) =>
    step.actions
      .filter((action) => action.failed === true || FAILED.has(action.status ?? ""))
      .map((action) => ({
        name: step.actions.length > 1 ? `${step.name} (container ${action.index ?? 0})` : step.name,
        exitCode: action.exit_code ?? null,
        url: action.has_output === false ? null : (action.output_url ?? null),
      })),
  );
  return {
    id: String(details.build_num),
    name: details.workflows?.job_name ?? fallbackName,
    webUrl: webUrl(details, slug, ctx),
    status: details.status ?? "failed",
    log: { slug, job: details.build_num, steps },
  };
}

async function failedJobsOfWorkflow(workflowId: string, ctx: FetchContext): Promise<FailedJob<CircleciLog>[]> {
  const auth = { provider: NAME, headers: headers(ctx.token) };
  const workflow = await ctx.http.getJson(api(ctx, `/api/v2/workflow/${encodeURIComponent(workflowId)}`), Workflow, auth);
  const pipeline = await ctx.http.getJson(api(ctx, `/api/v2/pipeline/${encodeURIComponent(workflow.pipeline_id)}`), Pipeline, auth);
  assertBuildOfEvent(ctx, {
    provider: NAME,
    what: `workflow "${workflow.name}"`,
    repository: parseGitRemote(pipeline.vcs?.target_repository_url ?? pipeline.vcs?.origin_repository_url),
    commit: pipeline.vcs?.revision,
  });

  const failed: Array<{ number: number; name: string; slug: string }> = [];
  let pageToken: string | null | undefined;
  for (let page = 0; page < MAX_WORKFLOW_PAGES; page += 1) {
    const url = api(ctx, `/api/v2/workflow/${encodeURIComponent(workflowId)}/job`);
    if (pageToken) url.searchParams.set("page-token", pageToken);
    const jobs = await ctx.http.getJson(url, WorkflowJobs, auth);
    for (const item of jobs.items) {
      if (FAILED.has(item.status) && item.job_number != null && item.type !== "approval") {
        failed.push({ number: item.job_number, name: item.name, slug: item.project_slug ?? workflow.project_slug });
      }
    }
    pageToken = jobs.next_page_token;
    if (!pageToken) break;
  }
  const out: FailedJob<CircleciLog>[] = [];
  for (const job of failed) {
    const details = await jobDetails(job.slug, job.number, ctx);
    out.push(toFailedJob(details, job.slug, job.name, ctx));
  }
  return out;
}

async function failedJob(slug: string, job: string, ctx: FetchContext): Promise<FailedJob<CircleciLog>[]> {
  const details = await jobDetails(slug, job, ctx);
  assertBuildOfEvent(ctx, { provider: NAME, what: `job ${job}`, repository: parseGitRemote(details.vcs_url), commit: details.vcs_revision });
  if (!FAILED.has(details.status ?? "")) return [];
  return [toFailedJob(details, slug, `job ${job}`, ctx)];
}

/** The failed steps' output, one after the other; each step starts on a line of its own. */
async function* openLog(job: FailedJob<CircleciLog>, ctx: FetchContext): AsyncGenerator<LogChunk> {
  const { steps } = job.log;
  // The last character yielded: a step whose output stops mid-line must not run into the next step's first line.
  let last = "\n";
  for (const step of steps) {
    if (last !== "\n") yield "\n";
    last = "\n";
    if (!step.url) {
      yield `Step "${step.name}" failed${step.exitCode == null ? "" : ` with exit code ${step.exitCode}`} and printed no output.\n`;
      continue;
    }
    // Presigned storage URL: fetched with no credentials, only from CircleCI's storage hosts.
    const url = checkLogUrl(step.url, LOG_HOSTS, ctx.settings.extraLogHosts);
    const bytes = ctx.http.bytes(url, { provider: "CircleCI log storage", maxBytes: ctx.settings.maxLogBytes });
    for await (const text of stepOutputText(bytes)) {
      last = text.at(-1) ?? last;
      yield text;
    }
  }
}

async function verifyToken(token: string, ctx: VerifyContext): Promise<TokenCheck> {
  try {
    const me = await ctx.http.getJson(new URL("/api/v2/me", ctx.settings.apiOrigins.circleci), Me, {
      provider: NAME,
      headers: headers(token),
    });
    return { ok: true, identity: me.login, scopes: null, warnings: [] };
  } catch (error) {
    if (!(error instanceof TokenInvalid)) throw error;
    return {
      ok: false,
      error: "Invalid CircleCI API token",
      hints: [
        "Check that you copied the whole token.",
        "Use a Personal API Token (User Settings → Personal API Tokens), not a Project API Token.",
        "Check that the token has not expired or been revoked; create a new one if in doubt.",
      ],
    };
  }
}

export const circleci: CiProvider<CircleciRef, CircleciLog> = {
  id: "circleci",
  name: NAME,
  credential: { kind: "org-token", provider: "circleci" },
  refSchema: CircleciRef,
  logSchema: CircleciLog,
  resolve: resolveCircleci,
  failedJobs({ ids }: BuildRef<CircleciRef>, ctx: FetchContext) {
    return ids.kind === "workflow" ? failedJobsOfWorkflow(ids.workflow, ctx) : failedJob(ids.slug, ids.job, ctx);
  },
  openLog,
  verifyToken,
};
