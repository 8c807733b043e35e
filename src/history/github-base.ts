import { z } from "zod";
import type { RepoRef } from "../events/failure-event.ts";
import type { Octokit } from "../report/publish.ts";

/** A completed check run or status of a base commit: the only kind that counts as evidence. */
export interface BaseCheck {
  source: "check_run" | "status";
  /** Check run name or status context. */
  name: string;
  conclusion: "success" | "failure";
  /** `details_url` or `target_url`: where the provider is recognised from. */
  url: string | null;
  /** The check's page on GitHub, linked when the provider gives no URL. */
  htmlUrl: string | null;
  checkRunId: number | null;
  appSlug: string | null;
  externalId: string | null;
}

/** The PR's base: its branch, the merge base with the head, and the branch's newest commits. */
export interface BaseCommits {
  branch: string;
  mergeBase: string | null;
  /** Newest first; at most `RECENT_COMMITS`. */
  recent: string[];
}

/** How far back on the base branch a job's latest completed run is looked for. */
export const RECENT_COMMITS = 3;

// History never waits on GitHub's retries: one answer or none, and the comment goes out either way.
const ONCE = { request: { retries: 0 } } as const;

const Sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/i).transform((s) => s.toLowerCase());
const Pull = z.object({ base: z.object({ ref: z.string().min(1).max(255) }) });
const Compare = z.object({ merge_base_commit: z.object({ sha: Sha }) });
const Commits = z.array(z.object({ sha: Sha })).max(100);
const CheckRuns = z.object({
  check_runs: z
    .array(
      z.object({
        id: z.number().int().positive(),
        name: z.string().max(1_000),
        status: z.string(),
        conclusion: z.string().nullable(),
        details_url: z.string().max(10_000).nullish(),
        html_url: z.string().max(10_000).nullish(),
        external_id: z.string().max(10_000).nullish(),
        app: z.object({ slug: z.string().max(200).nullish() }).nullish(),
      }),
    )
    .max(100),
});
const Statuses = z
  .array(
    z.object({
      context: z.string().max(1_000),
      state: z.string(),
      target_url: z.string().max(10_000).nullish(),
    }),
  )
  .max(100);

export async function baseCommits(octokit: Octokit, repo: RepoRef, pr: number, headSha: string): Promise<BaseCommits> {
  const owner = repo.owner;
  const name = repo.name;
  const pull = Pull.parse((await octokit.rest.pulls.get({ owner, repo: name, pull_number: pr, ...ONCE })).data);
  const branch = pull.base.ref;
  const [compare, commits] = await Promise.all([
    octokit.rest.repos.compareCommitsWithBasehead({ owner, repo: name, basehead: `${branch}...${headSha}`, per_page: 1, ...ONCE }),
    octokit.rest.repos.listCommits({ owner, repo: name, sha: branch, per_page: RECENT_COMMITS, ...ONCE }),
  ]);
  return {
    branch,
    mergeBase: Compare.parse(compare.data).merge_base_commit.sha,
    recent: Commits.parse(commits.data).map((c) => c.sha).slice(0, RECENT_COMMITS),
  };
}

/**
 * The commit's completed check runs (every attempt, re-runs included) and its statuses (newest first). A run in
 * progress, queued, cancelled, skipped or neutral says nothing about the code and is left out.
 */
export async function completedChecksAt(octokit: Octokit, repo: RepoRef, sha: string): Promise<BaseCheck[]> {
  const [runs, statuses] = await Promise.all([
    octokit.rest.checks.listForRef({ owner: repo.owner, repo: repo.name, ref: sha, filter: "all", per_page: 100, ...ONCE }),
    octokit.rest.repos.listCommitStatusesForRef({ owner: repo.owner, repo: repo.name, ref: sha, per_page: 100, ...ONCE }),
  ]);
  const out: BaseCheck[] = [];
  for (const run of CheckRuns.parse(runs.data).check_runs) {
    const conclusion = run.status === "completed" ? outcome(run.conclusion) : null;
    if (!conclusion) continue;
    out.push({
      source: "check_run",
      name: run.name,
      conclusion,
      url: run.details_url ?? null,
      htmlUrl: run.html_url ?? null,
      checkRunId: run.id,
      appSlug: run.app?.slug ?? null,
      externalId: run.external_id ?? null,
    });
  }
  for (const status of Statuses.parse(statuses.data)) {
    const conclusion = status.state === "success" ? "success" : status.state === "failure" || status.state === "error" ? "failure" : null;
    if (!conclusion) continue;
    const url = status.target_url ?? null;
    out.push({ source: "status", name: status.context, conclusion, url, htmlUrl: url, checkRunId: null, appSlug: null, externalId: null });
  }
  return out;
}

function outcome(conclusion: string | null): "success" | "failure" | null {
  if (conclusion === "success") return "success";
  if (conclusion === "failure" || conclusion === "timed_out") return "failure";
  return null;
}
