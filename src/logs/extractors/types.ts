import type { Failure } from "../types.ts";

/** A failure as an extractor reports it, before paths are made relative, text is clipped and duplicates merged. */
export interface Draft extends Omit<Failure, "count"> {
  /**
   * A weak signal (a network error seen while installing): reported only when nothing else explains the failed
   * step, since installers retry and often recover.
   */
  weak?: boolean;
}

export interface TestCounts {
  failed?: number;
  passed?: number;
  skipped?: number;
}

export interface ExtractContext {
  emit(draft: Draft): void;
  /** Adds a runner's summary counts (several runs in one log add up). */
  count(counts: TestCounts): void;
  /** Renames an emitted failure of `tool` whose title satisfies `match` (pytest names tests by node id only in its summary). */
  retitle(tool: string, match: (title: string) => boolean, title: string): boolean;
  /** Up to `n` normalised lines before the current one, oldest first. */
  previous(n: number): string[];
  /** The current step's title or last echoed command, to tell which tool printed a plain diff. */
  step(): string;
  /** How many failures were emitted so far in this log (by any extractor). */
  emitted(): number;
}

/**
 * Reads one tool's output from normalised lines. While idle it only sees lines matching `trigger`; while `active`
 * (inside a block it is collecting) it sees every line first, and a line it claims is not offered to the others.
 */
export interface Extractor {
  readonly trigger: RegExp;
  active: boolean;
  /** Returns true when the line belonged to this extractor's block. */
  feed(line: string, ctx: ExtractContext): boolean;
  /** The step or the log ended: report what is still open. */
  flush(ctx: ExtractContext): void;
}
