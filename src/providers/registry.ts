import type { z } from "zod";
import type { ProviderId } from "../ci-kinds.ts";
import { ReferenceInvalid } from "../errors.ts";
import type { LogChunk } from "../logs/types.ts";
import { bitrise } from "./bitrise/index.ts";
import { buildkite } from "./buildkite/index.ts";
import { circleci } from "./circleci/index.ts";
import { githubActions } from "./github-actions/index.ts";
import type {
  BuildRef,
  CiProvider,
  FailedJob,
  FetchContext,
  JobSummary,
  ProviderFacts,
  ProviderSettings,
  ResolveInput,
} from "./types.ts";

/** A failed job with its provider's log handle bound: read without knowing the provider's types. */
export interface ReadableJob extends JobSummary {
  /** The log handle as JSON, to queue or store; `restoreJob` reads it back. */
  readonly log: unknown;
  openLog(ctx: FetchContext): AsyncIterable<LogChunk>;
}

/** A build one provider recognised, its reference bound to that provider. */
export interface ResolvedBuild {
  readonly provider: ProviderFacts;
  readonly key: string;
  /** The reference as JSON, to print, queue or store; `restoreBuild` reads it back. */
  readonly ids: unknown;
  failedJobs(ctx: FetchContext): Promise<ReadableJob[]>;
}

/** A provider with its reference and log types hidden behind functions that keep them together. */
interface Entry {
  readonly facts: ProviderFacts;
  resolve(input: ResolveInput, settings: ProviderSettings): ResolvedBuild | null;
  restoreBuild(stored: { ids: unknown; key: string }): ResolvedBuild;
  restoreJob(stored: JobSummary & { log: unknown }): ReadableJob;
}

function entry<Ids, Log>(provider: CiProvider<Ids, Log>): Entry {
  const job = (failed: FailedJob<Log>): ReadableJob => ({
    id: failed.id,
    name: failed.name,
    webUrl: failed.webUrl,
    status: failed.status,
    log: failed.log,
    openLog: (ctx) => provider.openLog(failed, ctx),
  });
  const build = (ref: BuildRef<Ids>): ResolvedBuild => ({
    provider,
    key: ref.key,
    ids: ref.ids,
    failedJobs: async (ctx) => (await provider.failedJobs(ref, ctx)).map(job),
  });
  const parse = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ReferenceInvalid(`a stored ${provider.name} ${what} is not one ci-mender writes; it was not used`);
    return parsed.data;
  };
  return {
    facts: provider,
    resolve(input, settings) {
      const ref = provider.resolve(input, settings);
      return ref ? build(ref) : null;
    },
    restoreBuild: (stored) => build({ provider: provider.id, key: stored.key, ids: parse(provider.refSchema, stored.ids, "build reference") }),
    restoreJob: (stored) => job({ ...stored, log: parse(provider.logSchema, stored.log, "log handle") }),
  };
}

const ENTRIES: ReadonlyMap<ProviderId, Entry> = new Map(
  [entry(circleci), entry(buildkite), entry(bitrise), entry(githubActions)].map((e) => [e.facts.id, e]),
);

/** Every CI provider ci-mender knows. A test compares it with the folders under src/providers/. */
export const providers: ReadonlyMap<ProviderId, ProviderFacts> = new Map([...ENTRIES].map(([id, e]) => [id, e.facts]));

export function getProvider(id: ProviderId): ProviderFacts {
  const found = ENTRIES.get(id);
  if (!found) throw new Error(`unknown provider ${id}`);
  return found.facts;
}

/** The first provider that recognises the check, with its reference bound; null when none does. */
export function resolveBuild(input: ResolveInput, settings: ProviderSettings): ResolvedBuild | null {
  for (const e of ENTRIES.values()) {
    const build = e.resolve(input, settings);
    if (build) return build;
  }
  return null;
}

/** A reference that went through a queue or a store, parsed again with its provider's schema. */
export function restoreBuild(provider: ProviderId, stored: { ids: unknown; key: string }): ResolvedBuild {
  const found = ENTRIES.get(provider);
  if (!found) throw new ReferenceInvalid(`a stored build reference names an unknown provider`);
  return found.restoreBuild(stored);
}

/** A failed job that went through a queue or a store, its log handle parsed again with its provider's schema. */
export function restoreJob(provider: ProviderId, stored: JobSummary & { log: unknown }): ReadableJob {
  const found = ENTRIES.get(provider);
  if (!found) throw new ReferenceInvalid(`a stored job names an unknown provider`);
  return found.restoreJob(stored);
}
