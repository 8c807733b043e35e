import type { ProbotOctokit } from "probot";
import type { Failure } from "../logs/types.ts";
import { headReader } from "./head-files.ts";
import { postSuggestions } from "./review.ts";
import { planSuggestions, prDiffLines } from "./suggestions.ts";
import type { FixSummary } from "./summary.ts";
import type { Candidate, Fix, Fixer, HeadReader, Refusal } from "./types.ts";
import { formatFilePatch } from "./unified-diff.ts";
import { isRefusal, validateCandidate } from "./validate.ts";

export { ciPatchFixer } from "./ci-patch-fixer.ts";
export { renderFixSummary, type FixSummary } from "./summary.ts";
export type { Fixer } from "./types.ts";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface FixRequest {
  octokit: Octokit;
  repo: { owner: string; name: string };
  headSha: string;
  failures: ReadonlyArray<{ failure: Failure; jobName: string }>;
  fixers: readonly Fixer[];
}

/** Every fixer's candidates, validated against the head commit: what may be offered and what was refused. */
export async function collectFixes(request: FixRequest, readHead: HeadReader = headReader(request.octokit, request.repo, request.headSha)): Promise<{
  fixes: Fix[];
  refused: Refusal[];
}> {
  const candidates: Candidate[] = [];
  for (const fixer of request.fixers) candidates.push(...(await fixer.propose({ failures: request.failures, readHead })));
  const fixes: Fix[] = [];
  const refused: Refusal[] = [];
  for (const candidate of candidates) {
    const result = await validateCandidate(candidate, readHead);
    if (isRefusal(result)) refused.push(result);
    else fixes.push(result);
  }
  return { fixes, refused };
}

/**
 * The default delivery: suggested changes in one review for hunks on the PR's changed lines, the rest as a patch
 * in the comment. Returns null when no fixer had anything to offer (then no request was made for it).
 */
export async function offerFixes(
  request: FixRequest & { pr: number; mode: FixSummary["mode"]; committed?: string[] },
): Promise<FixSummary | null> {
  const { fixes, refused } = await collectFixes(request);
  if (fixes.length === 0 && refused.length === 0) return null;
  const summary: FixSummary = {
    headSha: request.headSha,
    mode: request.mode,
    suggested: [],
    outside: [],
    refused: refused.map((r) => ({ what: describe(r.candidate), reason: r.reason })),
    committed: request.committed ?? [],
  };
  if (fixes.length === 0) return summary;
  const { octokit, repo } = request;
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: repo.owner, repo: repo.name, pull_number: request.pr, per_page: 100 });
  const plan = planSuggestions(fixes, prDiffLines(files));
  const review = await postSuggestions(octokit, repo, request.pr, request.headSha, plan.suggestions);
  const outside = review.problem ? fixes.flatMap((f) => f.files.map((file) => ({ file: file.patch, tool: f.candidate.tool }))) : plan.outside.map((p) => ({ file: p, tool: toolOf(fixes, p.path) }));
  if (review.problem) summary.problem = review.problem;
  else summary.suggested = plan.suggestions.map((s) => ({ path: s.path, startLine: s.startLine, line: s.line, tool: s.tool }));
  summary.outside = outside.map(({ file, tool }) => ({ path: file.path, tool, patch: formatFilePatch(file) }));
  return summary;
}

function toolOf(fixes: readonly Fix[], path: string): string {
  return fixes.find((f) => f.files.some((file) => file.path === path))?.candidate.tool ?? "ci";
}

function describe(candidate: Candidate): string {
  return `${candidate.source === "model" ? "the model's" : `${candidate.tool}'s`} change from job ${candidate.jobName}`;
}
