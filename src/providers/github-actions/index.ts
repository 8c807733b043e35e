import { BuildMismatch } from "../../errors.ts";
import type { LogChunk } from "../../logs/types.ts";
import { assertBuildOfEvent, type GitRemote } from "../build-origin.ts";
import { checkLogUrl, type LogHostRule } from "../log-hosts.ts";
import type { BuildRef, CiProvider, FailedJob, FetchContext, ProviderSettings } from "../types.ts";
import { ActionsLog, ActionsRef, Job, Run, RunJobs } from "./schema.ts";
import { resolveGithubActions } from "./url.ts";

const NAME = "GitHub Actions";

/** Job conclusions that mean the job failed (`cancelled` and `skipped` jobs did not fail on their own). */
const FAILED = new Set(["failure", "timed_out"]);
const JOBS_PER_PAGE = 100;
const MAX_JOB_PAGES = 10;

/**
 * Where `…/actions/jobs/{id}/logs` redirects on github.com: Azure blob storage for current runs, the Actions
 * pipelines service for older ones.
 */
const GITHUB_LOG_HOSTS: readonly LogHostRule[] = [
  /^productionresultssa[0-9]{1,3}\.blob\.core\.windows\.net$/,
  /^pipelines(?:ghubeus[0-9]{1,3})?\.actions\.githubusercontent\.com$/,
];

/** GitHub Enterprise Server may serve logs from its own host; other storage is added with CI_MENDER_LOG_HOSTS. */
function logHosts(settings: ProviderSettings): LogHostRule[] {
  const web = settings.githubWebUrl.hostname;
  return web === "github.com" ? [...GITHUB_LOG_HOSTS] : [...GITHUB_LOG_HOSTS, web, settings.githubApiUrl.hostname];
}

function api(settings: ProviderSettings, segments: readonly string[], query: Record<string, string> = {}): URL {
  const base = settings.githubApiUrl;
  const url = new URL(`${base.pathname.replace(/\/+$/, "")}/${segments.map(encodeURIComponent).join("/")}`, base);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

/** The installation token, which only ever goes to the configured GitHub API. */
function auth(token: string): { provider: string; headers: Record<string, string> } {
  return {
    provider: NAME,
    headers: { authorization: `Bearer ${token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
  };
}

/** The event's repository; a link that names another one is refused before any request. */
function eventRepository(ids: ActionsRef, ctx: FetchContext): { owner: string; repo: string } {
  const { owner, repo } = ids;
  const { event } = ctx;
  if (owner && repo && `${owner}/${repo}`.toLowerCase() !== event.repo.fullName.toLowerCase()) {
    throw new BuildMismatch(`the GitHub Actions link names ${owner}/${repo}, not ${event.repo.fullName}; its logs were not read`);
  }
  return { owner: event.repo.owner, repo: event.repo.name };
}

/** `…/repos/<owner>/<repo>/actions/runs/<id>` → the repository, on the configured GitHub host. */
function repositoryOfRunUrl(runUrl: string, settings: ProviderSettings): GitRemote | null {
  const match = /\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/[0-9]+$/.exec(runUrl);
  return match ? { host: settings.githubWebUrl.hostname.toLowerCase(), path: `${match[1]}/${match[2]}` } : null;
}

function toFailedJob(job: Job, owner: string, repo: string, settings: ProviderSettings): FailedJob<ActionsLog> {
  const path = [owner, repo, "actions", "runs", String(job.run_id), "job", String(job.id)].map(encodeURIComponent).join("/");
  return {
    id: String(job.id),
    name: job.name,
    webUrl: new URL(path, `${settings.githubWebUrl.origin}/`).toString(),
    status: job.conclusion ?? "failure",
    log: { owner, repo, job: String(job.id) },
  };
}

async function failedJobOf(ids: Extract<ActionsRef, { kind: "job" }>, ctx: FetchContext): Promise<FailedJob<ActionsLog>[]> {
  const { owner, repo } = eventRepository(ids, ctx);
  const url = api(ctx.settings, ["repos", owner, repo, "actions", "jobs", ids.job]);
  const job = await ctx.http.getJson(url, Job, auth(ctx.token));
  assertBuildOfEvent(ctx, {
    provider: NAME,
    what: `job ${job.id}`,
    repository: repositoryOfRunUrl(job.run_url, ctx.settings),
    commit: job.head_sha,
  });
  if (ids.run && ids.run !== String(job.run_id)) {
    throw new BuildMismatch(`GitHub Actions job ${job.id} is not part of run ${ids.run}; its log was not read`);
  }
  return FAILED.has(job.conclusion ?? "") ? [toFailedJob(job, owner, repo, ctx.settings)] : [];
}

async function failedJobsOfRun(ids: Extract<ActionsRef, { kind: "run" }>, ctx: FetchContext): Promise<FailedJob<ActionsLog>[]> {
  const { owner, repo } = eventRepository(ids, ctx);
  const runPath = ["repos", owner, repo, "actions", "runs", ids.run];
  const run = await ctx.http.getJson(api(ctx.settings, runPath), Run, auth(ctx.token));
  assertBuildOfEvent(ctx, {
    provider: NAME,
    what: `run ${run.id}`,
    repository: { host: ctx.settings.githubWebUrl.hostname.toLowerCase(), path: run.repository.full_name },
    commit: run.head_sha,
  });
  const failed: FailedJob<ActionsLog>[] = [];
  let seen = 0;
  for (let page = 1; page <= MAX_JOB_PAGES; page += 1) {
    const query = { filter: "latest", per_page: String(JOBS_PER_PAGE), page: String(page) };
    const answer = await ctx.http.getJson(api(ctx.settings, [...runPath, "jobs"], query), RunJobs, auth(ctx.token));
    for (const job of answer.jobs) if (FAILED.has(job.conclusion ?? "")) failed.push(toFailedJob(job, owner, repo, ctx.settings));
    seen += answer.jobs.length;
    if (answer.jobs.length < JOBS_PER_PAGE || seen >= answer.total_count) break;
  }
  return failed;
}

/**
 * `…/actions/jobs/{id}/logs` answers with a redirect to a signed URL that expires in a minute. The Location is
 * checked against the storage hosts and fetched with no credentials: the installation token stays with the API.
 */
async function* openLog(job: FailedJob<ActionsLog>, ctx: FetchContext): AsyncGenerator<LogChunk> {
  const { owner, repo, job: id } = job.log;
  const url = api(ctx.settings, ["repos", owner, repo, "actions", "jobs", id, "logs"]);
  const location = await ctx.http.redirectLocation(url, auth(ctx.token));
  const logUrl = checkLogUrl(location, logHosts(ctx.settings), ctx.settings.extraLogHosts);
  yield* ctx.http.bytes(logUrl, { provider: "GitHub Actions log storage", maxBytes: ctx.settings.maxLogBytes });
}

export const githubActions: CiProvider<ActionsRef, ActionsLog> = {
  id: "github-actions",
  name: NAME,
  credential: { kind: "github-installation" },
  refSchema: ActionsRef,
  logSchema: ActionsLog,
  resolve: resolveGithubActions,
  failedJobs({ ids }: BuildRef<ActionsRef>, ctx: FetchContext) {
    return ids.kind === "job" ? failedJobOf(ids, ctx) : failedJobsOfRun(ids, ctx);
  },
  openLog,
};
