import type { RepoRef } from "../events/failure-event.ts";
import type { LogAnalysis } from "../logs/types.ts";
import type { Octokit } from "../report/publish.ts";
import type { JobHistory, JobReport } from "../report/types.ts";
import { classifyJob, notCompared, type BaseObservation, type BaseRun } from "./classify.ts";
import { baseCommits, completedChecksAt, type BaseCheck, type BaseCommits } from "./github-base.ts";
import { normaliseJobName } from "./job-name.ts";
import { signaturesOf } from "./signature.ts";
import type { SignatureStore } from "./signature-store.ts";
import { TtlCache } from "./ttl-cache.ts";

/** A base check's failed jobs, read the way the pipeline reads the PR's own (provider, token, log, analyser). */
export interface BaseJobReader {
  failedJobs(check: BaseCheck, sha: string, wanted: (jobName: string) => boolean): Promise<Array<{ name: string; webUrl: string; analysis: LogAnalysis | null }>>;
}

export interface HistoryDeps {
  octokit: Octokit;
  signatures: SignatureStore;
  reader: BaseJobReader;
  cache: HistoryCache;
  /** The whole comparison gives up after this long: a slow base never delays the comment much. */
  budgetMs: number;
}

/** Base look-ups shared by every commit this process handles: per PR head, per base commit. */
export class HistoryCache {
  readonly bases = new TtlCache<BaseCommits>(10 * 60_000, 500);
  readonly checks = new TtlCache<BaseCheck[]>(5 * 60_000, 2_000);
}

class BudgetExceeded extends Error {}

/** At most this many failed base checks of one job are read (shards of one job share a normalised name). */
const MAX_BASE_LOGS_PER_JOB = 2;

/**
 * Compares each job with the same job on the PR's base and returns its history, keyed like the jobs. A look-up
 * that fails or runs out of time leaves the jobs unclassified with the reason (`complete: false`); it never throws.
 */
export async function compareWithBase(
  repo: RepoRef,
  pr: { number: number; headSha: string },
  jobs: ReadonlyArray<[string, JobReport]>,
  deps: HistoryDeps,
): Promise<{ histories: Map<string, JobHistory>; complete: boolean }> {
  const out = new Map<string, JobHistory>();
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetExceeded(`no answer within ${Math.round(deps.budgetMs / 1000)} s`)), deps.budgetMs);
  });
  try {
    await Promise.race([compareAll(repo, pr, jobs, deps, out), budget]);
  } catch (error) {
    // What finished before the failure stands; the look-up still running writes into `out`, not into this copy.
    const partial = new Map(out);
    const reason = describe(error);
    for (const [key, job] of jobs) if (!partial.has(key)) partial.set(key, notCompared(job.analysis?.failures.length ?? 0, reason));
    return { histories: partial, complete: false };
  } finally {
    clearTimeout(timer);
  }
  return { histories: out, complete: true };
}

async function compareAll(
  repo: RepoRef,
  pr: { number: number; headSha: string },
  jobs: ReadonlyArray<[string, JobReport]>,
  deps: HistoryDeps,
  out: Map<string, JobHistory>,
): Promise<void> {
  const base = await deps.cache.bases.get(`${repo.id}:${pr.number}:${pr.headSha}`, () => baseCommits(deps.octokit, repo, pr.number, pr.headSha));
  for (const [key, job] of jobs) {
    await recordHead(repo, pr.headSha, job, deps.signatures);
    const mergeBase = base.mergeBase ? await observe(repo, base, base.mergeBase, "merge-base", job, deps) : null;
    let latest: BaseObservation | null = null;
    for (const sha of base.recent) {
      if (sha === base.mergeBase) {
        latest = mergeBase;
        break;
      }
      // The branch's newer commits only add evidence: one GitHub cannot list is skipped, not fatal.
      latest = await observe(repo, base, sha, "latest", job, deps).catch(() => null);
      if (latest) break;
    }
    out.set(key, classifyJob(job.analysis?.failures ?? [], { mergeBase, latest: latest === mergeBase ? null : latest }));
  }
}

/** The job's completed runs on one base commit, each failed one with its signatures; null when none ran. */
async function observe(
  repo: RepoRef,
  base: BaseCommits,
  sha: string,
  where: BaseObservation["where"],
  job: JobReport,
  deps: HistoryDeps,
): Promise<BaseObservation | null> {
  const checks = await deps.cache.checks.get(`${repo.id}:${sha}`, () => completedChecksAt(deps.octokit, repo, sha));
  const context = normaliseJobName(job.context);
  const same = checks.filter((check) => normaliseJobName(check.name) === context);
  if (same.length === 0) return null;
  const runs: BaseRun[] = [];
  let read = 0;
  for (const check of same) {
    const url = check.htmlUrl ?? check.url;
    if (check.conclusion === "success") {
      runs.push({ conclusion: "success", url, signatures: null });
      continue;
    }
    const signatures = read < MAX_BASE_LOGS_PER_JOB ? await baseSignatures(repo, sha, check, job, deps) : null;
    read += 1;
    runs.push({ conclusion: "failure", url: signatures?.url ?? url, signatures: signatures ? new Set(signatures.list) : null });
  }
  return { sha, branch: base.branch, where, runs };
}

/** A failed base run's signatures: from the store when read before, else through the provider (then stored). */
async function baseSignatures(
  repo: RepoRef,
  sha: string,
  check: BaseCheck,
  job: JobReport,
  deps: HistoryDeps,
): Promise<{ list: string[]; url: string | null } | null> {
  const name = storeName(job);
  const known = await deps.signatures.get(repo.id, sha, name).catch(() => null);
  if (known?.conclusion === "failure") return { list: known.signatures, url: known.url };
  const wanted = normaliseJobName(job.job.name);
  let found;
  try {
    found = await deps.reader.failedJobs(check, sha, (jobName) => normaliseJobName(jobName) === wanted);
  } catch {
    // A base log that cannot be read proves nothing either way; the failure stays unclassified if nothing else decides.
    return null;
  }
  const readable = found.filter((j) => j.analysis !== null);
  if (readable.length === 0) return null;
  const list = [...new Set(readable.flatMap((j) => signaturesOf(j.analysis)))];
  const url = readable[0]?.webUrl ?? null;
  await deps.signatures.put(repo.id, sha, name, { conclusion: "failure", signatures: list, url, at: new Date().toISOString() }).catch(() => undefined);
  return { list, url };
}

/** The PR's own failure signatures are kept too: a later PR based on this commit compares against them. */
async function recordHead(repo: RepoRef, sha: string, job: JobReport, store: SignatureStore): Promise<void> {
  if (!job.analysis) return;
  const record = { conclusion: "failure" as const, signatures: signaturesOf(job.analysis), url: job.job.webUrl, at: new Date().toISOString() };
  await store.put(repo.id, sha, storeName(job), record).catch(() => undefined);
}

function storeName(job: JobReport): string {
  return `${normaliseJobName(job.context)} › ${normaliseJobName(job.job.name)}`;
}

/**
 * Why the look-up failed, in fixed words: an upstream error's own message can quote the request (headers and all),
 * so it never reaches the comment.
 */
function describe(error: unknown): string {
  if (error instanceof BudgetExceeded) return error.message;
  const status = typeof error === "object" && error !== null && "status" in error ? (error as { status: unknown }).status : undefined;
  if (typeof status === "number" && status >= 400) return `GitHub answered HTTP ${status}`;
  if (error instanceof Error && error.name === "ZodError") return "GitHub answered in an unexpected shape";
  return "GitHub could not be reached";
}
