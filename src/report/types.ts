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
