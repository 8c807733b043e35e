import type { Keyv } from "keyv";
import { keyvCall } from "../secrets/keyv-call.ts";
import type { FixSummary } from "../fixes/summary.ts";
import type { JobReport, Notice } from "./types.ts";

/** What ci-mender has already learnt about one commit's failures, so repeats cost nothing. */
export interface CommitState {
  /** Build refs whose failed jobs were listed and read. */
  doneRefs: string[];
  /** Analysed jobs, keyed `<provider>:<job id>`. */
  jobs: Record<string, JobReport>;
  notices: Notice[];
  /** Failing check names, in the order they arrived. */
  contexts: string[];
  /** What was offered, committed or refused as fixes, per PR number. */
  fixes?: Record<string, FixSummary>;
}

const TTL_MS = 14 * 24 * 60 * 60 * 1000;

export function emptyState(): CommitState {
  return { doneRefs: [], jobs: {}, notices: [], contexts: [] };
}

/** Per-commit state in keyv (SQLite in the data directory by default; Redis when replicas share it). */
export class CommitStateStore {
  readonly #keyv: Keyv;

  constructor(keyv: Keyv) {
    this.#keyv = keyv;
  }

  async load(repoId: number, sha: string): Promise<CommitState> {
    const value = await keyvCall(this.#keyv, "state store", () => this.#keyv.get<CommitState>(key(repoId, sha)));
    return value ?? emptyState();
  }

  async save(repoId: number, sha: string, state: CommitState): Promise<void> {
    await keyvCall(this.#keyv, "state store", () => this.#keyv.set(key(repoId, sha), state, TTL_MS));
  }
}

function key(repoId: number, sha: string): string {
  return `${repoId}:${sha}`;
}
