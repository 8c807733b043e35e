export { analyzeLog } from "./analyze.ts";
export { failureKey } from "./failure-set.ts";
export { createRedactor, REDACTED } from "./redact.ts";
export { splitLines } from "./split-lines.ts";
export type { AnalyzeOptions, Failure, FailureKind, LogAnalysis } from "./types.ts";
