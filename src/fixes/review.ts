import type { ProbotOctokit } from "probot";
import { escapeText, inlineCode } from "../report/markdown.ts";
import type { Suggestion } from "./suggestions.ts";

type Octokit = InstanceType<typeof ProbotOctokit>;

const MARK = "<!-- ci-mender:suggestion -->";

export interface ReviewOutcome {
  posted: number;
  /** Already on the PR from an earlier run: not posted twice. */
  alreadyThere: number;
  /** Why GitHub refused the review, when it did; the suggestions then go into the comment as a patch. */
  problem?: string;
}

/** The review comment's text: who proposed it and the suggested lines, in a fence no line inside can close. */
export function suggestionBody(s: Suggestion): string {
  const longest = Math.max(0, ...s.replacement.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [
    MARK,
    `${inlineCode(s.tool)} would change ${s.startLine === s.line ? "this line" : "these lines"} (from the failing job ${escapeText(s.jobName)}):`,
    "",
    `${fence}suggestion`,
    ...s.replacement,
    fence,
  ].join("\n");
}

/**
 * One review with every suggestion (one request, one notification), on the head commit the fix was validated
 * against. Suggestions already posted by ci-mender on the same line with the same text are not posted again.
 */
export async function postSuggestions(
  octokit: Octokit,
  repo: { owner: string; name: string },
  pr: number,
  sha: string,
  suggestions: readonly Suggestion[],
): Promise<ReviewOutcome> {
  if (suggestions.length === 0) return { posted: 0, alreadyThere: 0 };
  const existing = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner: repo.owner, repo: repo.name, pull_number: pr, per_page: 100 });
  const seen = new Set(
    existing.filter((c) => c.user?.type === "Bot" && c.body.startsWith(MARK)).map((c) => `${c.path}\n${c.line ?? c.original_line}\n${c.body}`),
  );
  const comments = suggestions
    .map((s) => ({ s, body: suggestionBody(s) }))
    .filter(({ s, body }) => !seen.has(`${s.path}\n${s.line}\n${body}`))
    .map(({ s, body }) => ({
      path: s.path,
      body,
      line: s.line,
      side: "RIGHT" as const,
      ...(s.startLine < s.line ? { start_line: s.startLine, start_side: "RIGHT" as const } : {}),
    }));
  const alreadyThere = suggestions.length - comments.length;
  if (comments.length === 0) return { posted: 0, alreadyThere };
  try {
    await octokit.rest.pulls.createReview({
      owner: repo.owner,
      repo: repo.name,
      pull_number: pr,
      commit_id: sha,
      event: "COMMENT",
      body: `ci-mender found ${comments.length === 1 ? "a change" : `${comments.length} changes`} the CI printed that fix${comments.length === 1 ? "es" : ""} a failing check. Apply with one click (the commit is yours); details in ci-mender's comment.`,
      comments,
    });
  } catch (error) {
    // 422: the diff changed under us (a push between reading it and posting). Said in the comment, not retried.
    if ((error as { status?: unknown }).status === 422) return { posted: 0, alreadyThere, problem: "GitHub refused the suggestions (the PR's diff changed while they were prepared)" };
    throw error;
  }
  return { posted: comments.length, alreadyThere };
}
