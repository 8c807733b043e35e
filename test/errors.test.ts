import { describe, expect, it } from "vitest";
import {
  BuildMismatch,
  ProviderUnavailable,
  StoreUnavailable,
  TokenInvalid,
  describeError,
  isRetryable,
} from "../src/errors.ts";

describe("isRetryable", () => {
  it("follows our own errors' word", () => {
    expect(isRetryable(new ProviderUnavailable("CircleCI answered 503"))).toBe(true);
    expect(isRetryable(new StoreUnavailable("store down"))).toBe(true);
    expect(isRetryable(new TokenInvalid("401"))).toBe(false);
    expect(isRetryable(new BuildMismatch("other repo"))).toBe(false);
  });

  it("retries GitHub when it was busy or rate-limited us, not when a permission is missing", () => {
    const github = (status: number, headers: Record<string, string> = {}) => Object.assign(new Error("x"), { status, response: { headers } });
    expect(isRetryable(github(502))).toBe(true);
    expect(isRetryable(github(429))).toBe(true);
    expect(isRetryable(github(403, { "x-ratelimit-remaining": "0" }))).toBe(true);
    expect(isRetryable(github(403, { "retry-after": "60" }))).toBe(true);
    expect(isRetryable(github(403))).toBe(false);
    expect(isRetryable(github(404))).toBe(false);
    expect(isRetryable(new Error("plain"))).toBe(false);
    expect(isRetryable(null)).toBe(false);
  });
});

describe("describeError", () => {
  it("repeats our own messages and only the type and status of anything else", () => {
    expect(describeError(new TokenInvalid("CircleCI rejected the token (HTTP 401)"))).toBe("CircleCI rejected the token (HTTP 401)");
    const foreign = Object.assign(new Error("GET https://x?token=SECRET failed"), { name: "HttpError", status: 500 });
    expect(describeError(foreign)).toBe("HttpError (HTTP 500)");
    expect(describeError(new Error("token=SECRET"))).toBe("unexpected Error");
    expect(describeError("a string")).toBe("unexpected error");
  });
});
