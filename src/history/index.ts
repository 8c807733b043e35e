export { classifyJob, notCompared, passedOnRerun, type BaseObservation, type BaseRun, type Evidence } from "./classify.ts";
export { compareWithBase, HistoryCache, type BaseJobReader, type HistoryDeps } from "./compare.ts";
export type { BaseCheck } from "./github-base.ts";
export { normaliseJobName } from "./job-name.ts";
export { failureSignature, normaliseMessage, signaturesOf } from "./signature.ts";
export { KeyvSignatureStore, type JobSignatures, type SignatureStore } from "./signature-store.ts";
