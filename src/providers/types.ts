import type { z } from "zod";
import type { CredentialKind, ProviderId, TokenProviderId } from "../ci-kinds.ts";
import type { FailureEvent } from "../events/failure-event.ts";
import type { LogChunk } from "../logs/types.ts";
import type { CiHttp } from "./http.ts";

export type { CredentialKind, ProviderId, TokenProviderId } from "../ci-kinds.ts";

/** What `resolve` reads from a webhook: identifiers only, never anything to fetch. */
export interface ResolveInput {
  url: string | null;
  context?: string | null;
  appSlug?: string | null;
  externalId?: string | null;
  checkRunId?: number | null;
}

/**
 * A build (or one job of it) named by a webhook. `ids` is the provider's own reference type, built only from
 * values that passed its strict grammar; it is plain JSON so it can be queued and stored, and is parsed back
 * with the provider's `refSchema` wherever it comes back from there.
 */
export interface BuildRef<Ids> {
  provider: ProviderId;
  ids: Ids;
  /** Stable identity of what failed (same build and job → same key): the dedupe key for repeated events. */
  key: string;
}

/** What the comment shows of a failed job. */
export interface JobSummary {
  /** Provider's job id (number or uuid) as a string. */
  id: string;
  name: string;
  /** Link a maintainer can open; built from the provider's web origin and parsed ids. */
  webUrl: string;
  /** Provider's own word for the outcome: failed, timedout, infrastructure_fail, ... */
  status: string;
}

export interface FailedJob<Log> extends JobSummary {
  /** The provider's own handle for opening this job's log (ids, steps, a signed URL): plain JSON, `logSchema`. */
  log: Log;
}

/** Operator-configured origins and limits. Never derived from a webhook. */
export interface ProviderSettings {
  /** API origins, e.g. `https://circleci.com`; tokens are sent to these and nowhere else. */
  apiOrigins: Readonly<Record<"circleci" | "buildkite" | "bitrise", URL>>;
  /** GitHub REST API base (`https://api.github.com` or `https://HOST/api/v3`). */
  githubApiUrl: URL;
  /** GitHub web origin (`https://github.com` or the GHES host) for links and URL recognition. */
  githubWebUrl: URL;
  /** Extra hosts allowed for credential-free log downloads; plain http is accepted for these. */
  extraLogHosts: readonly string[];
  /** Byte cap for one log download; reading stops there. */
  maxLogBytes: number;
}

export interface FetchContext {
  /** The org's stored token, or the installation token for GitHub Actions. */
  token: string;
  event: FailureEvent;
  http: CiHttp;
  settings: ProviderSettings;
}

export interface VerifyContext {
  http: CiHttp;
  settings: ProviderSettings;
}

/** The outcome of a test API call made with a pasted token. */
export type TokenCheck =
  | {
      ok: true;
      /** Who the token acts as, when the provider says (a login or a token description). */
      identity: string | null;
      /** Scopes the provider reported, when it reports them. */
      scopes: readonly string[] | null;
      /** Things that work but that the admin should know (write scopes granted, no expiry...). */
      warnings: readonly string[];
    }
  | {
      ok: false;
      /** What is wrong, in the provider's terms ("Invalid CircleCI API token"). */
      error: string;
      /** What to check, shown as a list under the error. */
      hints: readonly string[];
    };

/** What every part may know of a provider without its reference types. */
export interface ProviderFacts {
  readonly id: ProviderId;
  /** Display name: "CircleCI". */
  readonly name: string;
  /** Where the log-reading credential comes from. */
  readonly credential: CredentialKind;
  /** A test API call with a pasted token, for /setup and `ci-mender tokens verify`. */
  verifyToken?(token: string, ctx: VerifyContext): Promise<TokenCheck>;
}

/** A provider that reads logs with a token an org admin pasted: where the token is kept, and its test call. */
export interface TokenProvider {
  readonly id: TokenProviderId;
  readonly name: string;
  verifyToken(token: string, ctx: VerifyContext): Promise<TokenCheck>;
}

/** The token side of a provider, when it has one that can be verified. */
export function tokenProviderOf(facts: ProviderFacts | undefined): TokenProvider | null {
  if (!facts?.verifyToken || facts.credential.kind !== "org-token") return null;
  const verify = facts.verifyToken;
  return { id: facts.credential.provider, name: facts.name, verifyToken: (token, ctx) => verify.call(facts, token, ctx) };
}

/**
 * One CI provider, generic over its own build reference (`Ids`) and log handle (`Log`). Both are plain JSON
 * described by zod schemas, so a reference read back from a queue or a store is parsed, never trusted, and a
 * provider never re-parses its own values at run time.
 */
export interface CiProvider<Ids, Log> extends ProviderFacts {
  readonly refSchema: z.ZodType<Ids>;
  readonly logSchema: z.ZodType<Log>;
  /**
   * Recognises the provider's check runs and URLs and parses ids with a strict grammar. Pure: no I/O.
   * Returns null for anything that is not exactly this provider's (look-alike hosts, odd ports, userinfo...).
   * `settings` tells the operator-configured hosts (a CircleCI server install, GitHub Enterprise Server).
   */
  resolve(input: ResolveInput, settings: ProviderSettings): BuildRef<Ids> | null;
  /**
   * The failed jobs of the build. Implementations check that the build belongs to `ctx.event`'s repository and
   * commit and throw `BuildMismatch` otherwise, before any log is read.
   */
  failedJobs(ref: BuildRef<Ids>, ctx: FetchContext): Promise<FailedJob<Log>[]>;
  /**
   * Streams a job's log as raw text chunks in any chunking (ANSI codes and provider framing left in; the analyser
   * splits lines), capped at `settings.maxLogBytes`. Separate sections (CircleCI steps) are separated by a line
   * break, so no line runs from one into the next.
   */
  openLog(job: FailedJob<Log>, ctx: FetchContext): AsyncIterable<LogChunk>;
}
