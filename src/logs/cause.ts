import type { Baseline } from "./baseline.ts";
import type { Draft } from "./extractors/types.ts";
import { clip, firstAppFrame } from "./extractors/text.ts";
import { BOILERPLATE, ERRORISH, EXIT } from "./generic.ts";

/** Lines quoted from a cause block at most: its first lines and, mostly, its end (where the fatal line is). */
export const CAUSE_LINES = 40;
const CAUSE_HEAD = 8;
/** Lines without any sign of an error that may sit inside one block (a stack's blank line, Maven's timing). */
const MAX_GAP = 8;

/**
 * Lines that say a build failed, printed by the build tool or the CI after the cause: they anchor the search for
 * the cause (upwards from them) without being it.
 */
export const FAILED_MARK =
  /^(?:\[(?:INFO|ERROR)\] )?BUILD FAILURE$|^FAILURE: Build (?:failed|completed) with|^BUILD FAILED\b|^Finished: FAILURE$|^Build step '.*' marked build as failure$|^The command ".*" exited with \d+\.$|^npm (?:ERR!|error) (?:code ELIFECYCLE|Lifecycle script .* failed)|^Error: Process completed with exit code [1-9]\d*\.?$/;

/** A sub-build or step that ended well: the errors it printed before were not fatal. */
export const SUCCEEDED_MARK = /^(?:\[INFO\] )?BUILD SUCCESS(?:FUL)?\b|^BUILD SUCCESSFUL in /;

/**
 * Error words that are not errors: a dependency named "errors", compiler flags in a version banner, a shell hook
 * that macOS runners lack, yarn's notes about optional packages, tests named after failure, counts of nothing.
 */
const KEYWORD_NOISE =
  /^go: (?:downloading|finding|extracting) |(?:^|\s)-W(?:no-)?error(?:=[\w-]+)?(?:\s|$)|shell_session_update: command not found|^(?:warning|info) .*(?:optional|fsevents)|^\s*(?:✓|✔|√|ok|PASS|passed)\b|\b0 (?:errors?|failures?|failed)\b(?![^,]*[1-9]\d* (?:errors?|failures?|failed))|\bfailures?: 0\b.*\berrors?: 0\b|^\s*(?:Downloading|Downloaded|Progress|Receiving|Resolving|Unpacking|Fetching|Installing|Collecting|Requirement already)\b|--fail-never|--no-fail|fail-fast|-Dmaven\.test\.failure\.ignore/i;

/** Lines that belong to an error block without holding an error word: stack frames, markers, diff lines, `E ` lines. */
const CONTINUATION = /^\s+at |^\s*File "|^\s*\^|^\s*~+\s*$|^\s*\|\s|^\s*\d+\s*\|\s|^Caused by:|^\s*\.\.\. \d+ more|^E\s|^\s*[-+](?![-+]{2})\S|^\s*(?:Expected|Received|expected|actual|got|want)\b|^\[ERROR\]|^\s*symbol:|^\s*location:|^--- stderr|^thread '.*' panicked|^\s*Error Trace:|^\s*Error:|^\s*Messages:|^\s*Test:/;

export type LineClass = "cause" | "context" | "noise" | "plain";

export interface CauseOptions {
  baseline?: Baseline;
}

/** How one line counts when looking for a cause upwards from where the build failed. */
export function classify(line: string, options: CauseOptions): LineClass {
  const t = line.trim();
  if (t === "") return "plain";
  if (options.baseline?.has(t)) return "noise";
  if (KEYWORD_NOISE.test(t)) return "noise";
  if (EXIT.test(t) || FAILED_MARK.test(t) || BOILERPLATE.test(t)) return "context";
  if (ERRORISH.test(t)) return "cause";
  if (CONTINUATION.test(line)) return "context";
  return "plain";
}

/** The block that explains a failure, found upwards from the failing point: [start, end) of `lines`. */
export interface CauseBlock {
  start: number;
  end: number;
  /** The line that states the error (the first cause line of the block). */
  headline: number;
}

/**
 * From the failing point (the end of `lines`), upwards: the nearest run of error lines, their stack frames and
 * the tool's wrapper lines, allowing short gaps. A wrapper or exit line alone is not a cause; it only points up.
 */
export function findCause(lines: readonly string[], options: CauseOptions): CauseBlock | undefined {
  let end = -1;
  let start = -1;
  let gap = 0;
  let causes = 0;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const kind = classify(lines[i] as string, options);
    if (kind === "cause" || kind === "context") {
      if (end === -1) end = i + 1;
      if (kind === "cause") {
        causes += 1;
        start = i;
      } else if (causes > 0 || end - i <= MAX_GAP * 4) {
        start = start === -1 || i < start ? i : start;
      }
      gap = 0;
      continue;
    }
    if (end === -1) continue;
    gap += 1;
    // Before any cause line, wrapper lines may stand far below the cause (a summary, post-build steps).
    if (gap > MAX_GAP && causes > 0) break;
    if (gap > MAX_GAP * 3) break;
  }
  if (causes === 0 || start === -1) return undefined;
  // The block starts at its first cause line: wrapper lines above it belong to something earlier.
  while (start < end && classify(lines[start] as string, options) !== "cause") start += 1;
  // Nor does it end on lines after the last error line that say nothing (the CI's own trailer is kept: it is short).
  let headline = start;
  for (let i = start; i < end; i += 1) {
    if (STRONG.test(lines[i] as string) && classify(lines[i] as string, options) === "cause") {
      headline = i;
      break;
    }
  }
  return { start, end, headline };
}

/** A line that states an error outright, preferred as the headline over one that merely holds an error word. */
const STRONG = /\berror(?:\[\w+\])?:|^\[ERROR\] \S*[/\\]\S+[:[]\d|\bERROR\b|Exception\b|\w+Error\b|\bFAIL(?:ED|URE)?\b|panic|Traceback|fatal:|\bfailed\b/;

/** The block's lines as quoted: all of it when short; else its first lines and its end. */
export function causeExcerpt(lines: readonly string[], block: CauseBlock, options: CauseOptions): string[] {
  const kept = lines.slice(block.start, block.end).filter((l) => classify(l, options) !== "noise" && !EXIT.test(l.trim()));
  const trimmed = trimBlankEdges(kept);
  if (trimmed.length <= CAUSE_LINES) return trimmed;
  return [...trimmed.slice(0, CAUSE_HEAD), "…", ...trimmed.slice(-(CAUSE_LINES - CAUSE_HEAD - 1))];
}

function trimBlankEdges(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && (lines[a] as string).trim() === "") a += 1;
  while (b > a && (lines[b - 1] as string).trim() === "") b -= 1;
  return lines.slice(a, b);
}

/** The cause of a failed step as one failure: the headline, and the block around it. */
export function causeDraft(lines: readonly string[], block: CauseBlock, options: CauseOptions): Draft {
  const quoted = causeExcerpt(lines, block, options);
  const headline = (lines[block.headline] as string).trim();
  const frame = firstAppFrame(quoted);
  const draft: Draft = {
    kind: "error",
    tool: "generic",
    title: clip(headline, 200),
    message: clip(headline),
    excerpt: quoted,
  };
  if (frame) {
    draft.file = frame.file;
    if (frame.line !== undefined) draft.line = frame.line;
    if (frame.column !== undefined) draft.column = frame.column;
  }
  return draft;
}
