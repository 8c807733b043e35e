import type { Keyv } from "keyv";
import { StoreUnavailable } from "../errors.ts";
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
    try {
      const value = (await this.#keyv.get(key(repoId, sha))) as CommitState | undefined;
      return value ?? emptyState();
    } catch (error) {
      throw new StoreUnavailable("the state store could not be read; the job will be retried", { cause: error });
    }
  }

  async save(repoId: number, sha: string, state: CommitState): Promise<void> {
    try {
      await this.#keyv.set(key(repoId, sha), state, TTL_MS);
    } catch (error) {
      throw new StoreUnavailable("the state store could not be written; the job will be retried", { cause: error });
    }
  }
}

function key(repoId: number, sha: string): string {
  return `${repoId}:${sha}`;
}
