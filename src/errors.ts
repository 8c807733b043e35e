/**
 * Failures ci-mender can name. Every message is written for the person who has to act on it and never
 * contains a token: callers pass provider names and ids, not credentials or raw upstream bodies.
 */
export abstract class CiMenderError extends Error {
  /** Whether running the same job again later may succeed (the queue retries these). */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The provider refused the stored token (401, or 403 without a scope hint). */
export class TokenInvalid extends CiMenderError {
  readonly retryable = false;
}

/** No token is stored for this account and provider. */
export class TokenMissing extends CiMenderError {
  readonly retryable = false;
}

/** The token store could not be read or written (disk, network, AWS). Never reported as "missing". */
export class StoreUnavailable extends CiMenderError {
  readonly retryable = true;
}

/** A stored token exists but cannot be decrypted: another key, or a record moved from another account's slot. */
export class TokenUnreadable extends CiMenderError {
  readonly retryable = false;
}

/** The provider did not answer in time, answered 429/5xx, or the connection failed. */
export class ProviderUnavailable extends CiMenderError {
  readonly retryable = true;
  /** Seconds the provider asked us to wait, when it said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, retryAfterSeconds?: number, options?: ErrorOptions) {
    super(message, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The provider answered, but not in a shape we understand, or with a status we do not handle. */
export class ProviderResponseInvalid extends CiMenderError {
  readonly retryable = false;
}

/** The build, job or log does not exist (or the token cannot see it). */
export class NotFound extends CiMenderError {
  readonly retryable = false;
}

/** The build named by the webhook belongs to another repository or commit: nothing from it is used. */
export class BuildMismatch extends CiMenderError {
  readonly retryable = false;
}

/** A URL was refused before any request was made: wrong scheme, host, port or shape. */
export class UnsafeUrl extends CiMenderError {
  readonly retryable = false;
}

/** A download went past its byte cap. */
export class LogTooLarge extends CiMenderError {
  readonly retryable = false;
}

/** A build reference or log handle read back from a queue or a store is not what its provider writes. */
export class ReferenceInvalid extends CiMenderError {
  readonly retryable = false;
}

/** Configuration that cannot work (missing secret in production, malformed key, bad URL). */
export class ConfigError extends CiMenderError {
  readonly retryable = false;
}

/** Ours say so themselves; GitHub API errors are worth a retry when GitHub was busy or rate-limited us. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof CiMenderError) return error.retryable;
  const { status, response } = (error ?? {}) as { status?: unknown; response?: { headers?: Record<string, unknown> } };
  if (typeof status !== "number") return false;
  if (status === 429 || status >= 500) return true;
  // A 403 is a rate limit only when GitHub says so; otherwise it is a missing permission, which a retry won't fix.
  const headers = response?.headers ?? {};
  return status === 403 && (headers["x-ratelimit-remaining"] === "0" || headers["retry-after"] !== undefined);
}

/**
 * A message safe to show a user or write to a log: our own errors' text; for anything else only its type and
 * HTTP status, since foreign errors (HTTP clients especially) can carry request options with credentials.
 */
export function describeError(error: unknown): string {
  if (error instanceof CiMenderError) return error.message;
  const status = (error as { status?: unknown } | null)?.status;
  const name = error instanceof Error ? error.name : "error";
  return typeof status === "number" ? `${name} (HTTP ${status})` : `unexpected ${name}`;
}
