import type { Keyv } from "keyv";
import { z } from "zod";
import { keyvCall } from "../secrets/keyv-call.ts";
import { normaliseJobName } from "./job-name.ts";
import { MAX_SIGNATURES_PER_JOB } from "./signature.ts";

/** What one run of a job left behind: enough to tell "the same failure" without keeping its log. */
export interface JobSignatures {
  conclusion: "failure" | "success";
  /** Failure signatures (see `failureSignature`), at most `MAX_SIGNATURES_PER_JOB`. */
  signatures: string[];
  /** The run a comment may link to as evidence. */
  url: string | null;
  /** When it was recorded (ISO 8601). */
  at: string;
}

const Stored = z.object({
  conclusion: z.enum(["failure", "success"]),
  signatures: z.array(z.string().max(64)).max(MAX_SIGNATURES_PER_JOB),
  url: z.string().max(2_000).nullable(),
  at: z.string().max(40),
});

/**
 * Failure signatures per repository, commit and job (shard suffixes normalised). The state store keeps them;
 * implementations bound each record's size and age.
 */
export interface SignatureStore {
  get(repoId: number, sha: string, jobName: string): Promise<JobSignatures | null>;
  put(repoId: number, sha: string, jobName: string, record: JobSignatures): Promise<void>;
}

/** Signatures live as long as a PR's merge base is likely to matter. */
const TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** The signature store on keyv: the same SQLite file (or Redis) as the commit state, its own namespace. */
export class KeyvSignatureStore implements SignatureStore {
  readonly #keyv: Keyv;

  constructor(keyv: Keyv) {
    this.#keyv = keyv;
  }

  async get(repoId: number, sha: string, jobName: string): Promise<JobSignatures | null> {
    const value = await keyvCall(this.#keyv, "signature store", () => this.#keyv.get<unknown>(key(repoId, sha, jobName)));
    // A record written by another version, or damaged, is no evidence: it is read as absent.
    const parsed = Stored.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  async put(repoId: number, sha: string, jobName: string, record: JobSignatures): Promise<void> {
    const bounded = { ...record, signatures: record.signatures.slice(0, MAX_SIGNATURES_PER_JOB) };
    await keyvCall(this.#keyv, "signature store", () => this.#keyv.set(key(repoId, sha, jobName), bounded, TTL_MS));
  }
}

function key(repoId: number, sha: string, jobName: string): string {
  return `${repoId}:${sha}:${normaliseJobName(jobName).slice(0, 300)}`;
}
