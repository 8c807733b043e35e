import type { Baseline } from "./baseline.ts";

export type FailureKind = "test" | "compile" | "lint" | "format" | "crash" | "timeout" | "infrastructure" | "error";

/** One thing that went wrong in a job, as a maintainer would point at it. All text is normalised and redacted. */
export interface Failure {
  kind: FailureKind;
  /** The tool that reported it: "vitest", "tsc", "pytest", "rustc", ... or "generic". */
  tool: string;
  /** The failing test's name, or the error's headline. */
  title: string;
  /** Repository-relative path where known. */
  file?: string;
  line?: number;
  column?: number;
  /** The error message: a few lines at most. */
  message: string;
  /** The log lines that show it (the assertion, the compiler context, the stack); short. */
  excerpt: string[];
  /** A unified diff the tool printed as the fix (formatter checks), when there is one. */
  patch?: string;
  /** How many times this same failure appeared in the log. */
  count: number;
}

export interface LogAnalysis {
  failures: Failure[];
  /** Test counts, when a runner printed a summary. */
  tests?: { failed: number; passed?: number; skipped?: number };
  /** The last meaningful lines of the log (normalised, redacted): shown when nothing more specific was found. */
  tail: string[];
  /** Distinct failures beyond the per-log cap: counted, not listed. */
  omittedFailures?: number;
  /** Lines and bytes read. */
  lines: number;
  bytes: number;
}

/**
 * Raw log text as a provider streams it: bytes in any chunking (a character may straddle two chunks) or text
 * already decoded. ANSI codes and provider framing are left in; the analyser reads them.
 */
export type LogChunk = Buffer | Uint8Array | string;

export interface AnalyzeOptions {
  /** Exact secret values to remove (the org's CI tokens, our installation token...); their encoded forms too. */
  secrets: readonly string[];
  /** A passing run of the same job (`readBaseline`): lines it printed too are never taken for the cause. */
  baseline?: Baseline;
}
