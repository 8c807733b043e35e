import { createHash } from "node:crypto";
import type { Failure, LogAnalysis } from "../logs/types.ts";

/** At most this many signatures are kept for one job: a log with hundreds of failures is compared by its first. */
export const MAX_SIGNATURES_PER_JOB = 50;

/**
 * Tokens that differ between two runs of the same failure: timestamps, durations, hex ids and addresses,
 * uuids, temporary directories, ports on loopback.
 */
const VOLATILE: ReadonlyArray<[RegExp, string]> = [
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<time>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  [/\b[0-9a-f]{12,64}\b/gi, "<hex>"],
  [/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|m|min|minutes)\b/gi, "<duration>"],
  [/(?:\/tmp|\/var\/folders|C:\\Users\\[^\\\s]+\\AppData\\Local\\Temp)[^\s:'"]*/gi, "<tmp>"],
  [/\b(127\.0\.0\.1|localhost):\d+/g, "$1:<port>"],
];

/** A failure's message as two runs of the same failure print it alike: first line, volatile tokens replaced. */
export function normaliseMessage(message: string): string {
  let line = (message.split("\n", 1)[0] ?? "").trim().replace(/\s+/g, " ");
  for (const [pattern, replacement] of VOLATILE) line = line.replace(pattern, replacement);
  return line.slice(0, 500);
}

/**
 * The compact identity of one failure: tool, normalised message, and the failing test's name or the file and
 * line. A test keeps its file but not its line, which moves whenever the PR edits the file above it.
 */
export function failureSignature(failure: Pick<Failure, "kind" | "tool" | "title" | "file" | "line" | "message">): string {
  const where = failure.kind === "test" ? `${failure.title}@${failure.file ?? ""}` : `${failure.file ?? ""}:${failure.line ?? ""}`;
  const parts = [failure.kind, failure.tool, where, normaliseMessage(failure.message || failure.title)];
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:`).update(part);
  return hash.digest("base64url").slice(0, 22);
}

/** The signatures of an analysed log, in the analyser's order, bounded. */
export function signaturesOf(analysis: LogAnalysis | null): string[] {
  if (!analysis) return [];
  return [...new Set(analysis.failures.map(failureSignature))].slice(0, MAX_SIGNATURES_PER_JOB);
}
