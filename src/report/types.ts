import type { RepoRef } from "../events/failure-event.ts";
import type { LogAnalysis } from "../logs/types.ts";
import type { ProviderId } from "../ci-kinds.ts";

/** One failed job and what its log says. */
export interface JobReport {
  /** Null for a log that came from no CI provider (a file handed to `ci-mender analyze`). */
  provider: ProviderId | null;
  providerName: string;
  /** The status context or check name that reported it. */
  context: string;
  job: { id: string; name: string; webUrl: string; status: string };
  analysis: LogAnalysis | null;
  /** Set when reading stopped at the byte cap: the analysis covers the first part only. */
  truncatedAtBytes?: number;
  /** Why the log could not be read, when it could not. */
  problem?: string;
  /** How the job compares with the same job on the PR's base; absent when it was not (yet) compared. */
  history?: JobHistory;
}

/** new: caused here (as far as the evidence goes); broken-on-base: fails the same way on the base branch. */
export type Verdict = "new" | "broken-on-base" | "flaky" | "unclassified";

/** One verdict and what it rests on, in words a maintainer can check. */
export interface Classification {
  verdict: Verdict;
  /** The evidence, as a sentence ("passes at the merge base `1a2b3c4`"). Plain text with `code` parts in backticks; the renderer escapes both. */
  evidence: string;
  /** The run the evidence comes from. */
  link?: { label: string; url: string };
}

export interface JobHistory {
  /** One per failure of the analysis, in its order. */
  failures: Classification[];
  /** For the job as a whole: used when the log named no failure, and for the summary. */
  job: Classification;
  /** Set when the base could not be looked up: the comment says why, and counts nothing. */
  notCompared?: true;
}

/** A check ci-mender could not explain, and what the maintainer can do about it. */
export interface Notice {
  kind: "missing-token" | "token-unreadable" | "token-rejected" | "not-this-build" | "not-found" | "unreadable";
  provider: ProviderId;
  providerName: string;
  context: string;
  message: string;
}

/** Everything known about the failures of one commit: the input of the comment. */
export interface CommitReport {
  repo: RepoRef;
  sha: string;
  jobs: JobReport[];
  notices: Notice[];
  /** Names of the failing checks, remembered to tell when they pass again. */
  failingContexts: string[];
  /** Markdown sections written elsewhere (the repository config notice, the fixes), shown after the notices. */
  sections?: string[];
}
