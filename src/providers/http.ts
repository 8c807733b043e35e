import got, { type Got, type Response, RequestError } from "got";
import type { z } from "zod";
import {
  LogTooLarge,
  NotFound,
  ProviderResponseInvalid,
  ProviderUnavailable,
  TokenInvalid,
} from "../errors.ts";

export interface CiHttpOptions {
  /** Whole-request budget for API calls, in ms. */
  timeoutMs?: number;
  /** Retries of idempotent requests on 429/5xx/network errors. */
  retryLimit?: number;
  /** Longest `Retry-After` honoured inside one request; longer waits go back to the queue. */
  maxRetryAfterMs?: number;
}

export interface ApiRequest {
  /** Display name for messages: "CircleCI". */
  provider: string;
  /** Credentials and content negotiation; values are scrubbed from every message built here. */
  headers?: Record<string, string>;
}

export interface StreamRequest extends ApiRequest {
  maxBytes: number;
}

/** Response bodies are small JSON documents; anything bigger than this is not what the API documents. */
const MAX_JSON_BYTES = 20 * 1024 * 1024;

/**
 * The one HTTP client for CI provider APIs. It never follows a redirect (a token must not travel to a Location
 * header's host), bounds time and bytes, retries only idempotent reads, validates JSON with zod, and turns
 * upstream failures into typed errors whose text never contains a credential.
 */
export class CiHttp {
  readonly #got: Got;
  readonly #streamTimeoutMs: number;

  constructor(options: CiHttpOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.#streamTimeoutMs = Math.max(timeoutMs, 30_000);
    this.#got = got.extend({
      followRedirect: false,
      throwHttpErrors: false,
      decompress: true,
      timeout: { lookup: 5_000, connect: 5_000, secureConnect: 5_000, response: timeoutMs, request: timeoutMs },
      retry: {
        limit: options.retryLimit ?? 2,
        methods: ["GET", "HEAD"],
        statusCodes: [408, 429, 500, 502, 503, 504, 521, 522, 524],
        maxRetryAfter: options.maxRetryAfterMs ?? 10_000,
        backoffLimit: 4_000,
      },
      headers: { "user-agent": "ci-mender" },
    });
  }

  /** GET a JSON document from a provider API and validate it. */
  async getJson<S extends z.ZodType>(url: URL, schema: S, req: ApiRequest): Promise<z.output<S>> {
    const response = await this.#send(url, "GET", { accept: "application/json", ...req.headers }, req);
    this.#ensureOk(response, req);
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      throw new ProviderResponseInvalid(`${req.provider} answered ${pathOf(url)} with something that is not JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join(".") || "(root)";
      throw new ProviderResponseInvalid(
        `${req.provider} answered ${pathOf(url)} in an unexpected shape (at ${where}); nothing from it was used`,
      );
    }
    return parsed.data;
  }

  /** A HEAD request; status and headers only. */
  async head(url: URL, req: ApiRequest): Promise<{ status: number; headers: Response["headers"] }> {
    const response = await this.#send(url, "HEAD", req.headers ?? {}, req);
    this.#ensureOk(response, req);
    return { status: response.statusCode, headers: response.headers };
  }

  /**
   * For endpoints documented to answer with a redirect to signed storage (GitHub Actions job logs): returns the
   * Location without following it, so the caller can check the host and fetch it with no credentials.
   */
  async redirectLocation(url: URL, req: ApiRequest): Promise<string> {
    const response = await this.#send(url, "GET", req.headers ?? {}, req);
    if (response.statusCode >= 300 && response.statusCode < 400) {
      const location = response.headers.location;
      if (!location) throw new ProviderResponseInvalid(`${req.provider} redirected without a Location`);
      return new URL(location, url).toString();
    }
    this.#ensureOk(response, req);
    throw new ProviderResponseInvalid(`${req.provider} answered ${pathOf(url)} without the expected redirect`);
  }

  /**
   * Streams a body as raw chunks as they arrive, stopping with `LogTooLarge` once `maxBytes` (decompressed) have
   * been read; what fits under the cap is still yielded. Memory stays bounded by one chunk.
   */
  async *bytes(url: URL, req: StreamRequest): AsyncGenerator<Buffer> {
    const stream = this.#got.stream(url, {
      headers: req.headers ?? {},
      timeout: { lookup: 5_000, connect: 5_000, secureConnect: 5_000, response: this.#streamTimeoutMs },
      retry: { limit: 0 },
    });
    const response = await new Promise<Response>((resolve, reject) => {
      stream.once("response", resolve);
      stream.once("error", reject);
    }).catch((error: unknown) => {
      throw this.#networkError(error, req);
    });
    if (response.statusCode >= 300) {
      stream.destroy();
      this.#ensureOk(response, req, true);
    }
    let seen = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const room = req.maxBytes - seen;
        seen += chunk.length;
        if (seen > req.maxBytes) {
          // What fits is still read: the analysis covers the log up to the cap.
          if (room > 0) yield chunk.subarray(0, room);
          throw new LogTooLarge(`the ${req.provider} log is larger than ${formatBytes(req.maxBytes)}; reading stopped there`);
        }
        yield chunk;
      }
    } catch (error) {
      if (error instanceof LogTooLarge) throw error;
      throw this.#networkError(error, req);
    } finally {
      stream.destroy();
    }
  }

  async #send(url: URL, method: "GET" | "HEAD", headers: Record<string, string>, req: ApiRequest): Promise<Response<string>> {
    try {
      const response = await this.#got(url, { method, headers, responseType: "text" });
      if (Buffer.byteLength(response.body) > MAX_JSON_BYTES) {
        throw new ProviderResponseInvalid(`${req.provider} answered ${pathOf(url)} with an oversized body`);
      }
      return response;
    } catch (error) {
      if (error instanceof ProviderResponseInvalid) throw error;
      throw this.#networkError(error, req);
    }
  }

  #ensureOk(response: Response, req: ApiRequest, streamed = false): void {
    const status = response.statusCode;
    if (status >= 200 && status < 300) return;
    const what = `${req.provider} answered ${pathOf(response.requestUrl)} with HTTP ${status}`;
    const detail = streamed ? "" : upstreamMessage(response.body, req);
    const suffix = detail ? `: ${detail}` : "";
    // GitHub answers an exhausted rate limit with 403 (or 429) and says when to come back; that is no token problem.
    if (status === 429 || status >= 500 || (status === 403 && isRateLimited(response))) {
      throw new ProviderUnavailable(`${what}; try again later${suffix}`, retryAfterSeconds(response));
    }
    if (status === 401) throw new TokenInvalid(`${req.provider} rejected the token (HTTP 401)${suffix}`);
    if (status === 403) throw new TokenInvalid(`${req.provider} refused access with this token (HTTP 403)${suffix}`);
    if (status === 404) throw new NotFound(`${what} (not found, or not visible to this token)${suffix}`);
    if (status >= 300 && status < 400) throw new ProviderResponseInvalid(`${what} (a redirect, which is never followed)`);
    throw new ProviderResponseInvalid(`${what}${suffix}`);
  }

  #networkError(error: unknown, req: ApiRequest): Error {
    if (error instanceof ProviderResponseInvalid || error instanceof LogTooLarge) return error;
    if (error instanceof RequestError) {
      const code = error.code ?? "error";
      const kind = code === "ETIMEDOUT" ? "timed out" : `failed (${code})`;
      return new ProviderUnavailable(`could not reach ${req.provider}: the request ${kind}`);
    }
    return new ProviderUnavailable(`could not reach ${req.provider}`);
  }
}

/** Path only: query strings may hold signatures. */
function pathOf(url: URL | string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "(url)";
  }
}

/** The `message`/`error` field of a JSON error body, bounded and scrubbed of the request's header values. */
function upstreamMessage(body: unknown, req: ApiRequest): string {
  if (typeof body !== "string" || body.length === 0) return "";
  let text = body.slice(0, 2_000);
  try {
    const json: unknown = JSON.parse(body);
    if (json && typeof json === "object") {
      const record = json as Record<string, unknown>;
      const field = ["message", "error_msg", "error_message", "error"].map((k) => record[k]).find((v) => typeof v === "string");
      if (typeof field === "string") text = field;
    }
  } catch {
    // Plain-text bodies (CircleCI answers "Invalid token provided." as text) are used as they are.
  }
  for (const value of Object.values(req.headers ?? {})) {
    for (const part of value.split(/\s+/)) if (part.length >= 8) text = text.split(part).join("[REDACTED]");
  }
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function header(response: Response, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isRateLimited(response: Response): boolean {
  return header(response, "x-ratelimit-remaining") === "0" || header(response, "retry-after") !== undefined;
}

/**
 * How long the provider asked us to wait, in seconds (at most an hour): `Retry-After` (seconds or a date),
 * Buildkite's `RateLimit-Reset` / `RateLimit-User-Reset` (seconds; the longer wins), GitHub's
 * `X-RateLimit-Reset` (an epoch time).
 */
function retryAfterSeconds(response: Response): number | undefined {
  const bound = (seconds: number) => Math.max(0, Math.min(3_600, Math.ceil(seconds)));
  const retryAfter = header(response, "retry-after");
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return bound(seconds);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return bound((date - Date.now()) / 1000);
  }
  const resets = ["ratelimit-reset", "ratelimit-user-reset"]
    .map((name) => Number(header(response, name)))
    .filter((value) => Number.isFinite(value) && value >= 0);
  if (resets.length > 0) return bound(Math.max(...resets));
  const epoch = Number(header(response, "x-ratelimit-reset"));
  return Number.isFinite(epoch) && epoch > 0 ? bound(epoch - Date.now() / 1000) : undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 ** 2)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}
