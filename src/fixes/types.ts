import type { Failure } from "../logs/types.ts";

/** One hunk of a unified diff, its lines without the leading marker. */
export interface Hunk {
  /** First line of the pre-image (1-based; 0 for an insertion at the top of a file). */
  oldStart: number;
  lines: Array<{ op: " " | "-" | "+"; text: string }>;
}

/** The changes a diff makes to one existing file. New files, deletions and renames are not fixes ci-mender offers. */
export interface FilePatch {
  path: string;
  /** Abbreviated or full blob id of the pre-image, when the diff carried an `index` line. */
  oldBlob?: string;
  hunks: Hunk[];
  /** Whether the pre-image ends without a newline (`\ No newline at end of file` after a `-`/context line). */
  oldNoNewline: boolean;
  newNoNewline: boolean;
}

/** A proposed change before validation: where it came from and the diff text itself. */
export interface Candidate {
  source: "ci" | "model";
  /** The tool that printed it ("rustfmt", "gofmt", "black", ...) or the model's name. */
  tool: string;
  /** The job whose failure it fixes (for the comment). */
  jobName: string;
  /** A stable id of the failure it answers: one fix commit per signature per head. */
  signature: string;
  patch: string;
}

/** A file of the PR's head commit as GitHub serves it. */
export interface HeadFile {
  path: string;
  /** Blob sha. */
  sha: string;
  content: string;
  /** Git mode is not in the contents API; executables are refused as fix targets by size of risk, not by mode. */
}

/** Reads files at the PR's head commit; null when the path is not a regular file there. */
export type HeadReader = (path: string) => Promise<HeadFile | null>;

/** A candidate that passed every check: the files it changes, whole, and the hunks for suggestions. */
export interface Fix {
  candidate: Candidate;
  files: Array<{ path: string; before: HeadFile; after: string; patch: FilePatch }>;
}

export interface Refusal {
  candidate: Candidate;
  reason: string;
}

export interface FixerInput {
  failures: ReadonlyArray<{ failure: Failure; jobName: string }>;
  readHead: HeadReader;
}

/** A source of candidate fixes. Every candidate is validated the same way, whichever fixer proposed it. */
export interface Fixer {
  readonly name: string;
  propose(input: FixerInput): Promise<Candidate[]>;
}
