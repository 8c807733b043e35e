import type { ProbotOctokit } from "probot";
import type { PullRequestHead, RepoRef } from "../events/failure-event.ts";
import { hasMarker } from "./marker.ts";

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** Open pull requests whose head is this commit: a failure on an older commit of a PR is no longer news. */
export async function pullRequestsFor(octokit: Octokit, repo: RepoRef, sha: string): Promise<PullRequestHead[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner: repo.owner,
    repo: repo.name,
    commit_sha: sha,
    per_page: 100,
  });
  return data
    .filter((pr) => pr.state === "open" && pr.head.sha.toLowerCase() === sha)
    .map((pr) => ({ number: pr.number, headSha: pr.head.sha.toLowerCase() }));
}

export interface OwnComment {
  id: number;
  body: string;
}

/** ci-mender's comment on the PR: the first comment by a bot that starts with our marker. */
export async function findOwnComment(octokit: Octokit, repo: RepoRef, pr: number): Promise<OwnComment | null> {
  const comments = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: repo.owner,
    repo: repo.name,
    issue_number: pr,
    per_page: 100,
  });
  for await (const page of comments) {
    for (const comment of page.data) {
      if (comment.user?.type === "Bot" && hasMarker(comment.body)) return { id: comment.id, body: comment.body ?? "" };
    }
  }
  return null;
}

/** Creates the comment, or edits it in place; writes nothing when the body is already the same. */
export async function upsertComment(
  octokit: Octokit,
  repo: RepoRef,
  pr: number,
  body: string,
  existing?: OwnComment | null,
): Promise<"created" | "updated" | "unchanged"> {
  const current = existing === undefined ? await findOwnComment(octokit, repo, pr) : existing;
  if (current?.body === body) return "unchanged";
  if (current) {
    await octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.name, comment_id: current.id, body });
    return "updated";
  }
  return createOnce(octokit, repo, pr, body);
}

/** Attempts at creating the comment within one job; past them the job fails and is retried (looking first again). */
const CREATE_ATTEMPTS = 2;

/**
 * A POST is never sent again blindly (github-octokit.ts turns Octokit's retries off for it): after an answer that
 * leaves open whether GitHub created the comment, the marker comment is looked for first, and only then created.
 */
async function createOnce(octokit: Octokit, repo: RepoRef, pr: number, body: string): Promise<"created" | "updated"> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: pr, body });
      return "created";
    } catch (error) {
      if (!isAmbiguous(error) || attempt >= CREATE_ATTEMPTS) throw error;
      const created = await findOwnComment(octokit, repo, pr);
      if (created?.body === body) return "created";
      if (created) {
        await octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.name, comment_id: created.id, body });
        return "updated";
      }
    }
  }
}

/**
 * Whether the write may have happened anyway: a 5xx, or no answer at all (Octokit reports a dropped connection or
 * a timeout as status 500). A 4xx is GitHub refusing it, so nothing was created.
 */
function isAmbiguous(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status !== "number" || status >= 500;
}

/** Whether every named check has passed on the commit, and none is failing. */
export async function checksPass(octokit: Octokit, repo: RepoRef, sha: string, names: readonly string[]): Promise<boolean> {
  const [statuses, runs] = await Promise.all([
    octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, { owner: repo.owner, repo: repo.name, ref: sha, per_page: 100 }),
    octokit.paginate(octokit.rest.checks.listForRef, { owner: repo.owner, repo: repo.name, ref: sha, filter: "latest", per_page: 100 }),
  ]);
  // Statuses come newest first; the first one seen per context is its current state.
  const state = new Map<string, string>();
  for (const status of statuses) if (!state.has(status.context)) state.set(status.context, status.state);
  for (const run of runs) state.set(run.name, run.status === "completed" ? (run.conclusion ?? "none") : "pending");
  const failing = [...state.values()].some((s) => ["failure", "error", "timed_out", "startup_failure"].includes(s));
  return !failing && names.every((name) => state.get(name) === "success");
}
