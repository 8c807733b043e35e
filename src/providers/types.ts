import type { FailureEvent } from "../events/failure-event.ts";
import type { LogChunk } from "../logs/types.ts";
import type { CiHttp } from "./http.ts";

export const PROVIDER_IDS = ["circleci", "buildkite", "bitrise", "github-actions"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** Providers whose token an org admin pastes at /setup (GitHub Actions uses the installation's own token). */
export const TOKEN_PROVIDER_IDS = ["circleci", "buildkite", "bitrise"] as const;
export type TokenProviderId = (typeof TOKEN_PROVIDER_IDS)[number];

/** What `resolve` reads from a webhook: identifiers only, never anything to fetch. */
export interface ResolveInput {
  url: string | null;
  context?: string | null;
  appSlug?: string | null;
  externalId?: string | null;
  checkRunId?: number | null;
}

/**
 * A build (or one job of it) named by a webhook, as ids that passed the provider's strict grammar.
 * Ids are plain strings so that a ref can be logged, queued and compared; each provider knows its own keys.
 */
export interface BuildRef {
  provider: ProviderId;
  ids: Readonly<Record<string, string>>;
  /** Stable identity of what failed (same build and job → same key): the dedupe key for repeated events. */
  key: string;
}

export interface FailedJob {
  /** Provider's job id (number or uuid) as a string. */
  id: string;
  name: string;
  /** Link a maintainer can open; built from the provider's web origin and parsed ids. */
  webUrl: string;
  /** Provider's own word for the outcome: failed, timedout, infrastructure_fail, ... */
  status: string;
  /** Whatever the provider needs to open this job's log (ids, step numbers, signed URL). */
  log: Readonly<Record<string, string | number>>;
}

/** Operator-configured origins and limits. Never derived from a webhook. */
export interface ProviderSettings {
  /** API origins, e.g. `https://circleci.com`; tokens are sent to these and nowhere else. */
  apiOrigins: Readonly<Record<Exclude<ProviderId, "github-actions">, URL>>;
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

export interface CiProvider {
  readonly id: ProviderId;
  /** Display name: "CircleCI". */
  readonly name: string;
  /** Where the log-reading credential comes from. */
  readonly credential: "org-token" | "github-installation";
  /**
   * Recognises the provider's check runs and URLs and parses ids with a strict grammar. Pure: no I/O.
   * Returns null for anything that is not exactly this provider's (look-alike hosts, odd ports, userinfo...).
   * `settings` tells the operator-configured hosts (a CircleCI server install, GitHub Enterprise Server).
   */
  resolve(input: ResolveInput, settings: ProviderSettings): BuildRef | null;
  /**
   * The failed jobs of the build. Implementations check that the build belongs to `ctx.event`'s repository and
   * commit and throw `BuildMismatch` otherwise, before any log is read.
   */
  failedJobs(ref: BuildRef, ctx: FetchContext): Promise<FailedJob[]>;
  /**
   * Streams a job's log as raw text chunks in any chunking (ANSI codes and provider framing left in; the analyser
   * splits lines), capped at `settings.maxLogBytes`. Separate sections (CircleCI steps) are separated by a line
   * break, so no line runs from one into the next.
   */
  openLog(job: FailedJob, ctx: FetchContext): AsyncIterable<LogChunk>;
  /** A test API call with a pasted token, for /setup and `ci-mender tokens verify`. */
  verifyToken?(token: string, ctx: VerifyContext): Promise<TokenCheck>;
}
