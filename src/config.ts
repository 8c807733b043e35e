import path from "node:path";
import { z } from "zod";
import { ConfigError } from "./errors.ts";
import type { ProviderSettings } from "./providers/types.ts";

const origin = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((value) => new URL(new URL(value).origin));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every environment variable ci-mender reads (Probot reads APP_ID, PRIVATE_KEY, PORT, HOST, LOG_LEVEL itself).
 * `.env.example` lists the same names with a line each.
 */
const envSchema = z.object({
  NODE_ENV: z.string().default("development"),
  /** The GitHub App's id (Probot reads it too); check runs created by this app are ignored. */
  APP_ID: z.coerce.number().int().positive().optional(),
  /** Secret GitHub signs webhooks with. Required in production: Probot would silently use "development". */
  WEBHOOK_SECRET: z.string().optional(),
  /** GitHub Enterprise Server host; github.com when unset. */
  GHE_HOST: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, "GHE_HOST is a host name such as github.example.com")
    .optional(),
  GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
  /** Public URL of this app, used for links to /setup in comments and for the OAuth callback. */
  BASE_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
  /** OAuth client of the GitHub App, for "Sign in with GitHub" on /setup. */
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  /** Where the local token store, its key and other state live. */
  CI_MENDER_DATA_DIR: z.string().default(".data"),
  /** 32 bytes, base64: the key of the local encrypted token store. Generated into the data dir when unset. */
  CI_MENDER_ENCRYPTION_KEY: z.string().optional(),
  /** `local` (encrypted keyv store in the data dir) or `aws` (AWS Secrets Manager). */
  TOKEN_STORE: z.enum(["local", "aws"]).default("local"),
  /** Secret names are `<prefix>/<account id>/<provider>`. */
  CI_MENDER_AWS_SECRET_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{1,200}$/, "CI_MENDER_AWS_SECRET_PREFIX may use letters, digits and /_+=.@-")
    .default("ci-mender"),
  /** KMS key for the secrets; the account's default `aws/secretsmanager` key when unset. */
  CI_MENDER_AWS_KMS_KEY_ID: z.string().optional(),
  /** Days a removed secret can still be restored (AWS allows 7 to 30). */
  CI_MENDER_AWS_RECOVERY_DAYS: z.coerce.number().int().min(7).max(30).default(7),
  AWS_REGION: z.string().optional(),
  /** API origins for CircleCI (server installs), Buildkite and Bitrise. Tokens are sent nowhere else. */
  CIRCLECI_API_URL: origin("https://circleci.com"),
  BUILDKITE_API_URL: origin("https://api.buildkite.com"),
  BITRISE_API_URL: origin("https://api.bitrise.io"),
  /** Extra host names allowed for credential-free log downloads (comma-separated); http is accepted for them. */
  CI_MENDER_LOG_HOSTS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host.length > 0),
    )
    .pipe(
      z.array(
        z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, "CI_MENDER_LOG_HOSTS lists host names only (no scheme, port or path)"),
      ),
    ),
  /** Bytes read from one job log at most. */
  CI_MENDER_MAX_LOG_BYTES: positiveInt(512 * 1024 * 1024),
  /** Failures analysed at once by this process. */
  CI_MENDER_CONCURRENCY: positiveInt(4),
  /** How long events for one commit are gathered before they are worked on, in ms. */
  CI_MENDER_SETTLE_MS: z.coerce.number().int().min(0).max(600_000).default(3_000),
  /** Budget of one CI API request, in ms. */
  CI_MENDER_HTTP_TIMEOUT_MS: positiveInt(30_000),
  /**
   * Redis (or Valkey) shared by replicas: `redis://`, `rediss://` or the absolute path of a Unix socket. Unset:
   * one process, with its queue in memory and its state in SQLite in the data directory.
   */
  REDIS_URL: z
    .string()
    .regex(/^(rediss?:\/\/.+|\/.+)$/, "REDIS_URL is redis://host:port, rediss://host:port or the path of a Unix socket")
    .optional(),
  /** How long running jobs may take to finish after SIGTERM before they are handed back to the queue, in ms. */
  CI_MENDER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  production: boolean;
  appId: number | null;
  webhookSecret: string | undefined;
  baseUrl: URL;
  github: { apiUrl: URL; webUrl: URL; clientId: string | undefined; clientSecret: string | undefined };
  dataDir: string;
  encryptionKey: string | undefined;
  tokenStore:
    | { kind: "local" }
    | { kind: "aws"; prefix: string; kmsKeyId: string | undefined; recoveryDays: number; region: string | undefined };
  providers: ProviderSettings;
  concurrency: number;
  settleMs: number;
  httpTimeoutMs: number;
  /** Shared state and queue in Redis; null for the embedded default. */
  redisUrl: string | null;
  shutdownGraceMs: number;
}

/** Reads and validates the environment once, at start. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // `NAME=` in .env means "not set", as it does for Probot.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === "production";
  if (production && !env.WEBHOOK_SECRET) {
    throw new ConfigError(
      "WEBHOOK_SECRET is required when NODE_ENV=production (without it Probot would accept webhooks signed with \"development\")",
    );
  }
  if (env.REDIS_URL && env.TOKEN_STORE === "local" && !env.CI_MENDER_ENCRYPTION_KEY) {
    throw new ConfigError(
      "CI_MENDER_ENCRYPTION_KEY is required when REDIS_URL is set with TOKEN_STORE=local: every replica must open the same sealed tokens (generate one with: openssl rand -base64 32)",
    );
  }
  const webUrl = env.GHE_HOST ? new URL(`${env.GHE_PROTOCOL}://${env.GHE_HOST}`) : new URL("https://github.com");
  const apiUrl = env.GHE_HOST ? new URL(`${env.GHE_PROTOCOL}://${env.GHE_HOST}/api/v3`) : new URL("https://api.github.com");
  return {
    production,
    appId: env.APP_ID ?? null,
    webhookSecret: env.WEBHOOK_SECRET,
    baseUrl: new URL(env.BASE_URL),
    github: { apiUrl, webUrl, clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET },
    dataDir: path.resolve(env.CI_MENDER_DATA_DIR),
    encryptionKey: env.CI_MENDER_ENCRYPTION_KEY,
    tokenStore:
      env.TOKEN_STORE === "aws"
        ? {
            kind: "aws",
            prefix: env.CI_MENDER_AWS_SECRET_PREFIX,
            kmsKeyId: env.CI_MENDER_AWS_KMS_KEY_ID,
            recoveryDays: env.CI_MENDER_AWS_RECOVERY_DAYS,
            region: env.AWS_REGION,
          }
        : { kind: "local" },
    providers: {
      apiOrigins: { circleci: env.CIRCLECI_API_URL, buildkite: env.BUILDKITE_API_URL, bitrise: env.BITRISE_API_URL },
      githubApiUrl: apiUrl,
      githubWebUrl: webUrl,
      extraLogHosts: env.CI_MENDER_LOG_HOSTS,
      maxLogBytes: env.CI_MENDER_MAX_LOG_BYTES,
    },
    concurrency: env.CI_MENDER_CONCURRENCY,
    settleMs: env.CI_MENDER_SETTLE_MS,
    httpTimeoutMs: env.CI_MENDER_HTTP_TIMEOUT_MS,
    redisUrl: env.REDIS_URL ?? null,
    shutdownGraceMs: env.CI_MENDER_SHUTDOWN_GRACE_MS,
  };
}
