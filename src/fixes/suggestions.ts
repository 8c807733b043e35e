import type { FilePatch, Fix, Hunk } from "./types.ts";

/** For each file of the PR, the head-side line numbers its diff shows, each with the PR hunk it belongs to. */
export type PrDiffLines = Map<string, Map<number, number>>;

const PR_HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Reads the `patch` of `GET /pulls/{n}/files`: added and context lines are the ones a review comment may anchor on. */
export function prDiffLines(files: ReadonlyArray<{ filename: string; patch?: string | undefined }>): PrDiffLines {
  const out: PrDiffLines = new Map();
  for (const file of files) {
    if (!file.patch) continue;
    const lines = new Map<number, number>();
    let line = 0;
    let hunk = -1;
    for (const text of file.patch.split("\n")) {
      const h = PR_HUNK.exec(text);
      if (h) {
        line = Number(h[1]);
        hunk += 1;
        continue;
      }
      if (hunk < 0 || text.startsWith("\\")) continue;
      if (text.startsWith("-")) continue;
      lines.set(line, hunk);
      line += 1;
    }
    out.set(file.filename, lines);
  }
  return out;
}

/** One review comment with a suggested change replacing head lines `startLine..line` of `path`. */
export interface Suggestion {
  path: string;
  startLine: number;
  line: number;
  replacement: string[];
  tool: string;
  jobName: string;
}

export interface SuggestionPlan {
  suggestions: Suggestion[];
  /** Hunks whose lines are not all in the PR's diff: offered in the comment as a patch instead. */
  outside: FilePatch[];
}

/**
 * Splits each validated hunk into its runs of changed lines and anchors each run on the head lines it replaces.
 * A hunk becomes suggestions only when every run's lines lie in one hunk of the PR's diff (GitHub rejects the whole
 * review for one anchor outside it); otherwise the hunk goes to the comment as a patch.
 */
export function planSuggestions(fixes: readonly Fix[], diff: PrDiffLines, maxSuggestions = 30): SuggestionPlan {
  const plan: SuggestionPlan = { suggestions: [], outside: [] };
  for (const fix of fixes) {
    for (const file of fix.files) {
      const headLines = file.before.content.split("\n");
      const anchors = diff.get(file.path);
      const outsideHunks: Hunk[] = [];
      for (const hunk of file.patch.hunks) {
        const runs = changeRuns(hunk, headLines);
        const anchored = anchors && runs.every((run) => sameHunk(anchors, run.startLine, run.line));
        if (anchored && plan.suggestions.length + runs.length <= maxSuggestions) {
          for (const run of runs) plan.suggestions.push({ path: file.path, ...run, tool: fix.candidate.tool, jobName: fix.candidate.jobName });
        } else {
          outsideHunks.push(hunk);
        }
      }
      if (outsideHunks.length > 0) plan.outside.push({ ...file.patch, hunks: outsideHunks });
    }
  }
  return plan;
}

function sameHunk(anchors: Map<number, number>, from: number, to: number): boolean {
  const hunk = anchors.get(from);
  if (hunk === undefined) return false;
  for (let line = from; line <= to; line += 1) if (anchors.get(line) !== hunk) return false;
  return true;
}

function changeRuns(hunk: Hunk, headLines: readonly string[]): Array<{ startLine: number; line: number; replacement: string[] }> {
  const runs: Array<{ startLine: number; line: number; replacement: string[] }> = [];
  const hasOld = hunk.lines.some((l) => l.op !== "+");
  let oldLine = hasOld ? hunk.oldStart : hunk.oldStart + 1;
  let i = 0;
  while (i < hunk.lines.length) {
    if (hunk.lines[i]!.op === " ") {
      oldLine += 1;
      i += 1;
      continue;
    }
    const from = oldLine;
    const added: string[] = [];
    let removed = 0;
    while (i < hunk.lines.length && hunk.lines[i]!.op !== " ") {
      const l = hunk.lines[i]!;
      if (l.op === "-") removed += 1;
      else added.push(l.text);
      i += 1;
    }
    oldLine += removed;
    if (removed > 0) {
      runs.push({ startLine: from, line: from + removed - 1, replacement: added });
    } else if (from > 1) {
      // A pure insertion is suggested as "this line, then the new ones" on the line before it.
      runs.push({ startLine: from - 1, line: from - 1, replacement: [headLines[from - 2] ?? "", ...added] });
    } else {
      runs.push({ startLine: 1, line: 1, replacement: [...added, headLines[0] ?? ""] });
    }
  }
  return runs;
}
