export { analyzeLog } from "./analyze.ts";
export { readBaseline, type Baseline } from "./baseline.ts";
export { failureKey } from "./failure-set.ts";
export { createRedactor, REDACTED } from "./redact.ts";
export type { AnalyzeOptions, Failure, FailureKind, LogAnalysis, LogChunk } from "./types.ts";
