import type { Logger } from "probot";
import type { Config } from "./config.ts";
import { BuildMismatch, CiMenderError, LogTooLarge, NotFound, TokenInvalid, TokenUnreadable } from "./errors.ts";
import type { FailureEvent, PullRequestHead, SuccessEvent } from "./events/failure-event.ts";
import { compareWithBase, passedOnRerun, type BaseJobReader, type HistoryCache, type SignatureStore } from "./history/index.ts";
import { analyzeLog } from "./logs/analyze.ts";
import type { LogAnalysis, LogChunk } from "./logs/types.ts";
import { TOKEN_PROVIDER_IDS } from "./ci-kinds.ts";
import type { CiHttp } from "./providers/http.ts";
import { type ReadableJob, type ResolvedBuild, resolveBuild } from "./providers/registry.ts";
import type { FetchContext, ProviderFacts } from "./providers/types.ts";
import type { CommitState, CommitStateStore } from "./report/commit-state.ts";
import { readMarker } from "./report/marker.ts";
import { checksPass, findOwnComment, pullRequestsFor, upsertComment, type Octokit } from "./report/publish.ts";
import { renderFailureComment, renderResolvedComment } from "./report/render.ts";
import type { CommitReport, Notice } from "./report/types.ts";
import type { TokenStore } from "./secrets/token-store.ts";
import { ciPatchFixer, offerFixes, renderFixSummary, type Fixer } from "./fixes/index.ts";
import { isIgnoredCheck, loadRepoConfig, type RepoConfig } from "./repo-config.ts";
import { escapeText, inlineCode } from "./report/markdown.ts";
import type { RepoRef } from "./events/failure-event.ts";

export type Work = { kind: "failure"; event: FailureEvent } | { kind: "success"; event: SuccessEvent };

export interface PipelineDeps {
  config: Config;
  tokens: TokenStore;
  state: CommitStateStore;
  http: CiHttp;
  log: Logger;
  octokitFor(installationId: number): Promise<Octokit>;
  /** Comparison with the PR's base; without it the comment names failures without classifying them. */
  history?: { signatures: SignatureStore; cache: HistoryCache; budgetMs: number };
}

const MAX_CONTEXTS = 50;

/**
 * The story of one commit's checks, told once per batch of events for it (the queue runs one batch per commit at
 * a time): which PRs care, what failed and why, then the one comment on each PR — or that it is resolved.
 */
export async function processCommit(items: readonly Work[], deps: PipelineDeps): Promise<void> {
  const first = items[0];
  if (!first) return;
  const { repo, sha, installationId } = first.event;
  const octokit = await deps.octokitFor(installationId);
  // 1. Only open PRs whose head is this commit hear about it (a check run names them; a status does not).
  const named = items.flatMap((item) => item.event.pullRequests);
  const prs = named.length > 0 ? uniquePullRequests(named) : await pullRequestsFor(octokit, repo, sha);
  if (prs.length === 0) {
    deps.log.debug({ repo: repo.fullName, sha }, "no open pull request has this commit as its head");
    return;
  }
  const failures = items.flatMap((item) => (item.kind === "failure" ? [item.event] : []));
  if (failures.length > 0) {
    // 2. The repository's own settings: which checks it ignores, how fixes reach it.
    const settings = await loadRepoConfig(octokit, repo);
    const watched = failures.filter((event) => !isIgnoredCheck(settings.config, event.context));
    const renderOptions = { githubWebUrl: deps.config.providers.githubWebUrl, baseUrl: deps.config.baseUrl };
    if (watched.length === 0) {
      // Only ignored checks in this batch: a comment about real failures of the commit stays as it is.
      const known = await deps.state.load(repo.id, sha);
      if (settings.config.comment_when_only_ignored && Object.keys(known.jobs).length === 0 && known.notices.length === 0) {
        const body = renderFailureComment(onlyIgnored(repo, sha, failures, settings.problem), renderOptions);
        for (const pr of prs) await upsertComment(octokit, repo, pr.number, body);
      }
      return;
    }
    // 3. Read and explain what failed (each build and job once per commit).
    const report = await explainFailures(watched, prs[0]!, octokit, deps);
    if (!report || (report.jobs.length === 0 && report.notices.length === 0)) return;
    // 4. Fixes the CI printed (or a model proposed), validated at the head, offered as suggested changes.
    const fixSections = await offerFixesToPullRequests(prs, report, settings.config, octokit, deps);
    // 5. One comment per PR, edited in place.
    for (const pr of prs) {
      const sections = [...(settings.problem ? [configWarning(settings.problem)] : []), ...(fixSections.get(pr.number) ?? [])];
      const body = renderFailureComment({ ...limitFailures(report, settings.config.max_failures), sections }, renderOptions);
      const outcome = await upsertComment(octokit, repo, pr.number, body);
      deps.log.info({ repo: repo.fullName, pr: pr.number, sha, outcome, jobs: report.jobs.length }, "failure comment");
    }
    return;
  }
  // 6. Only green news in this batch: a job that failed on this very commit and now passes was flaky; the comment
  //    is resolved once everything it named passes, and otherwise says which ones passed on re-run.
  const rerun = await markPassedOnRerun(items, deps);
  for (const pr of prs) {
    const comment = await findOwnComment(octokit, repo, pr.number);
    const state = readMarker(comment?.body);
    if (!comment || state?.state !== "failing") continue;
    if (await checksPass(octokit, repo, pr.headSha, state.contexts)) {
      const flaky = rerun && state.sha === sha ? flakyJobNames(rerun) : [];
      await upsertComment(octokit, repo, pr.number, renderResolvedComment(state.sha, pr.headSha, state.contexts, flaky), comment);
      deps.log.info({ repo: repo.fullName, pr: pr.number, sha }, "failure comment resolved");
    } else if (rerun && state.sha === sha) {
      await upsertComment(octokit, repo, pr.number, renderFailureComment(rerun, commentOptions(deps)), comment);
      deps.log.info({ repo: repo.fullName, pr: pr.number, sha }, "failure comment: passed on re-run");
    }
  }
}

function commentOptions(deps: PipelineDeps) {
  return { githubWebUrl: deps.config.providers.githubWebUrl, baseUrl: deps.config.baseUrl };
}

/** Marks the commit's failed jobs whose check now passes as flaky; the updated report, or null when none did. */
async function markPassedOnRerun(items: readonly Work[], deps: PipelineDeps): Promise<CommitReport | null> {
  const { repo, sha } = items[0]!.event;
  const passed = new Set(items.flatMap((item) => (item.kind === "success" ? [item.event.context] : [])));
  const state = await deps.state.load(repo.id, sha);
  let changed = false;
  for (const job of Object.values(state.jobs)) {
    if (!passed.has(job.context)) continue;
    job.history = passedOnRerun(job.analysis?.failures.length ?? 0);
    changed = true;
  }
  if (!changed) return null;
  await deps.state.save(repo.id, sha, state);
  return reportOf(repo, sha, state);
}

function flakyJobNames(report: CommitReport): string[] {
  return report.jobs.filter((job) => job.history?.job.verdict === "flaky").map((job) => job.job.name);
}

function reportOf(repo: FailureEvent["repo"], sha: string, state: CommitState): CommitReport {
  return { repo, sha, jobs: Object.values(state.jobs), notices: state.notices, failingContexts: state.contexts };
}

async function explainFailures(
  events: readonly FailureEvent[],
  pr: PullRequestHead,
  octokit: Octokit,
  deps: PipelineDeps,
): Promise<CommitReport | null> {
  const { repo, sha } = events[0]!;
  const state = await deps.state.load(repo.id, sha);
  let recognised = Object.keys(state.jobs).length > 0 || state.notices.length > 0;
  for (const event of events) {
    const resolved = resolveBuild(event, deps.config.providers);
    if (!resolved) {
      deps.log.debug({ repo: repo.fullName, context: event.context }, "check not from a known CI provider; ignored");
      continue;
    }
    recognised = true;
    addContext(state, event.context);
    if (state.doneRefs.includes(resolved.key)) continue;
    await explainBuild(event, resolved, state, octokit, deps);
    await deps.state.save(repo.id, sha, state);
  }
  if (!recognised) return null;
  if (deps.history) await classifyJobs(events[0]!, pr, state, octokit, deps, deps.history);
  return reportOf(repo, sha, state);
}

/** Compares the jobs not compared yet with the same jobs on the PR's base; a failed look-up is not kept. */
async function classifyJobs(
  event: FailureEvent,
  pr: PullRequestHead,
  state: CommitState,
  octokit: Octokit,
  deps: PipelineDeps,
  history: NonNullable<PipelineDeps["history"]>,
): Promise<void> {
  const pending = Object.entries(state.jobs).filter(([, job]) => !job.history && !job.problem);
  if (pending.length === 0) return;
  const { histories, complete } = await compareWithBase(event.repo, pr, pending, {
    octokit,
    signatures: history.signatures,
    reader: baseJobReader(event, octokit, deps),
    cache: history.cache,
    budgetMs: history.budgetMs,
  });
  const apply = () => {
    for (const [key, job] of pending) {
      const found = histories.get(key);
      if (found) job.history = found;
    }
  };
  if (complete) {
    apply();
    await deps.state.save(event.repo.id, event.sha, state);
  } else {
    // Said in this comment, but asked again with the commit's next event.
    await deps.state.save(event.repo.id, event.sha, state);
    apply();
  }
  deps.log.info({ repo: event.repo.fullName, sha: event.sha, jobs: pending.length, complete }, "compared with the base branch");
}

/** Reads a base commit's failed jobs exactly as the PR's own: same provider resolution, token and analyser. */
function baseJobReader(event: FailureEvent, octokit: Octokit, deps: PipelineDeps): BaseJobReader {
  return {
    async failedJobs(check, sha, wanted) {
      const baseEvent: FailureEvent = {
        ...event,
        deliveryId: `${event.deliveryId}:base`,
        source: check.source,
        sha,
        url: check.url,
        context: check.name,
        appSlug: check.appSlug,
        externalId: check.externalId,
        checkRunId: check.checkRunId,
        conclusion: "failure",
        pullRequests: [],
      };
      const resolved = resolveBuild(baseEvent, deps.config.providers);
      if (!resolved) return [];
      const token = await credentialFor(resolved.provider, baseEvent, octokit, deps);
      if (token === null) return [];
      const ctx: FetchContext = { token, event: baseEvent, http: deps.http, settings: deps.config.providers };
      const jobs = (await resolved.failedJobs(ctx)).filter((job) => wanted(job.name)).slice(0, 2);
      const secrets = await secretsToRedact(baseEvent, token, deps);
      const out = [];
      for (const job of jobs) {
        const { analysis } = await analyzeJobLog(job, ctx, secrets);
        out.push({ name: job.name, webUrl: job.webUrl, analysis });
      }
      return out;
    },
  };
}

async function explainBuild(
  event: FailureEvent,
  build: ResolvedBuild,
  state: CommitState,
  octokit: Octokit,
  deps: PipelineDeps,
): Promise<void> {
  const { provider } = build;
  const notice = (kind: Notice["kind"], message: string) =>
    addNotice(state, { kind, provider: provider.id, providerName: provider.name, context: event.context, message });
  let token: string | null;
  try {
    token = await credentialFor(provider, event, octokit, deps);
  } catch (error) {
    // The record is there but does not open: "not connected" would send the owner looking for the wrong fault.
    if (error instanceof TokenUnreadable) return notice("token-unreadable", `the stored ${provider.name} token could not be read`);
    throw error;
  }
  if (token === null) {
    notice("missing-token", `no ${provider.name} token is connected`);
    return;
  }
  const ctx: FetchContext = { token, event, http: deps.http, settings: deps.config.providers };
  let jobs: ReadableJob[];
  try {
    jobs = await build.failedJobs(ctx);
  } catch (error) {
    if (error instanceof TokenInvalid) {
      if (provider.credential.kind === "github-installation") {
        // No token to reconnect: the installation itself lacks a permission (or the repository is out of reach).
        notice("unreadable", `${error.message}. ci-mender needs the "Actions: read" permission on this repository; an owner can accept it in the app's installation settings.`);
        return;
      }
      await deps.tokens.markVerified(event.accountId, provider.credential.provider, { at: new Date().toISOString(), error: error.message });
      notice("token-rejected", error.message);
      return;
    }
    if (error instanceof BuildMismatch) return notice("not-this-build", error.message);
    if (error instanceof NotFound) return notice("not-found", error.message);
    // An answer we cannot use (an unexpected shape, a refused URL) will not change on a retry: say so instead.
    if (error instanceof CiMenderError && !error.retryable) return notice("unreadable", error.message);
    throw error;
  }
  const secrets = await secretsToRedact(event, token, deps);
  for (const job of jobs) {
    const jobKey = `${provider.id}:${job.id}`;
    if (state.jobs[jobKey]) continue;
    const base = { provider: provider.id, providerName: provider.name, context: event.context, job: {
      id: job.id, name: job.name, webUrl: job.webUrl, status: job.status } };
    try {
      const { analysis, truncatedAtBytes } = await analyzeJobLog(job, ctx, secrets);
      state.jobs[jobKey] = { ...base, analysis, ...(truncatedAtBytes ? { truncatedAtBytes } : {}) };
    } catch (error) {
      // One unreadable log (a missing scope, a refused storage URL) must not hide the other jobs' failures.
      if (!(error instanceof CiMenderError) || error.retryable) throw error;
      state.jobs[jobKey] = { ...base, analysis: null, problem: error.message };
    }
    deps.log.info({ repo: event.repo.fullName, provider: provider.id, job: job.id }, "job log analysed");
  }
  // A build that shows no failed job yet (still finishing) is read again when its next event comes.
  if (jobs.length > 0) state.doneRefs.push(build.key);
  // A prompt to connect a token, or a rejected-token note, is stale once the build could be read.
  state.notices = state.notices.filter((n) => !(n.provider === provider.id && n.context === event.context));
}

/** Reads a job's log through the analyser; past the byte cap, the part read so far is still analysed. */
async function analyzeJobLog(
  job: ReadableJob,
  ctx: FetchContext,
  secrets: readonly string[],
): Promise<{ analysis: LogAnalysis; truncatedAtBytes?: number }> {
  let truncatedAtBytes: number | undefined;
  async function* capped(): AsyncGenerator<LogChunk> {
    try {
      yield* job.openLog(ctx);
    } catch (error) {
      if (!(error instanceof LogTooLarge)) throw error;
      truncatedAtBytes = ctx.settings.maxLogBytes;
    }
  }
  const analysis = await analyzeLog(capped(), { secrets });
  return truncatedAtBytes ? { analysis, truncatedAtBytes } : { analysis };
}

/**
 * The org's token for the provider, or the installation's for GitHub Actions; null when none is connected.
 * Throws `TokenUnreadable` when one is stored but cannot be opened, and `StoreUnavailable` when the store is down.
 */
async function credentialFor(
  provider: ProviderFacts,
  event: FailureEvent,
  octokit: Octokit,
  deps: PipelineDeps,
): Promise<string | null> {
  const { credential } = provider;
  if (credential.kind === "github-installation") return installationToken(octokit);
  return (await deps.tokens.get(event.accountId, credential.provider))?.token ?? null;
}

async function installationToken(octokit: Octokit): Promise<string> {
  const auth = (await octokit.auth({ type: "installation" })) as { token?: unknown };
  if (typeof auth.token !== "string") throw new Error("the GitHub App installation token could not be created");
  return auth.token;
}

/**
 * Every secret ci-mender holds for this account: none of them may appear in a comment. A store that cannot be read
 * fails the job (it is retried) rather than leave a token off the list; only a record that no key opens is skipped,
 * since its value is known to no one here and a retry would not change that.
 */
async function secretsToRedact(event: FailureEvent, token: string, deps: PipelineDeps): Promise<string[]> {
  const secrets = new Set([token]);
  if (deps.config.webhookSecret) secrets.add(deps.config.webhookSecret);
  for (const id of TOKEN_PROVIDER_IDS) {
    const stored = await deps.tokens.get(event.accountId, id).catch((error: unknown) => {
      if (error instanceof TokenUnreadable) return null;
      throw error;
    });
    if (stored) secrets.add(stored.token);
  }
  return [...secrets];
}

function uniquePullRequests(prs: readonly PullRequestHead[]): PullRequestHead[] {
  return [...new Map(prs.map((pr) => [pr.number, pr])).values()];
}

function addContext(state: CommitState, context: string): void {
  const name = context.slice(0, 200);
  if (!state.contexts.includes(name) && state.contexts.length < MAX_CONTEXTS) state.contexts.push(name);
}

function addNotice(state: CommitState, notice: Notice): void {
  const same = state.notices.some((n) => n.kind === notice.kind && n.provider === notice.provider && n.context === notice.context);
  if (!same) state.notices.push(notice);
}

/** Offers fixes on each PR whose head is the commit; remembers what was offered with the commit's state. */
async function offerFixesToPullRequests(
  prs: readonly PullRequestHead[],
  report: CommitReport,
  settings: RepoConfig,
  octokit: Octokit,
  deps: PipelineDeps,
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (settings.fixes === "off") return out;
  const failures = report.jobs.flatMap((job) => (job.analysis?.failures ?? []).map((failure) => ({ failure, jobName: job.job.name })));
  if (!failures.some((f) => f.failure.patch)) return out;
  const fixers: Fixer[] = [ciPatchFixer()];
  const state = await deps.state.load(report.repo.id, report.sha);
  for (const pr of prs) {
    const earlier = state.fixes?.[String(pr.number)];
    const summary = await offerFixes({ octokit, repo: report.repo, headSha: report.sha, failures, fixers, pr: pr.number, mode: settings.fixes, committed: earlier?.committed ?? [] });
    if (!summary) continue;
    if (earlier?.request) summary.request = earlier.request;
    state.fixes = { ...state.fixes, [String(pr.number)]: summary };
    const section = renderFixSummary(summary);
    if (section) out.set(pr.number, [section]);
    deps.log.info({ repo: report.repo.fullName, pr: pr.number, suggested: summary.suggested.length, outside: summary.outside.length, refused: summary.refused.length }, "fixes offered");
  }
  await deps.state.save(report.repo.id, report.sha, state);
  return out;
}

/** The repository asked for at most `max` failures per job: the rest are counted, not listed. */
function limitFailures(report: CommitReport, max: number): CommitReport {
  const jobs = report.jobs.map((job) => {
    const analysis = job.analysis;
    if (!analysis || analysis.failures.length <= max) return job;
    const omitted = (analysis.omittedFailures ?? 0) + analysis.failures.length - max;
    return { ...job, analysis: { ...analysis, failures: analysis.failures.slice(0, max), omittedFailures: omitted } };
  });
  return { ...report, jobs };
}

function configWarning(problem: string): string {
  return `> [!WARNING]\n> ${escapeText(problem)}.`;
}

function onlyIgnored(repo: RepoRef, sha: string, failures: readonly FailureEvent[], problem: string | undefined): CommitReport {
  const names = [...new Set(failures.map((f) => f.context))].slice(0, MAX_CONTEXTS).map((name) => inlineCode(name)).join(", ");
  const sections = [`Only checks this repository ignores failed (${inlineCode("ignore_checks")} in ${inlineCode(".github/ci-mender.yml")}): ${names}.`];
  if (problem) sections.unshift(configWarning(problem));
  return { repo, sha, jobs: [], notices: [], failingContexts: [], sections };
}
