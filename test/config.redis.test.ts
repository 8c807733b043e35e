import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { ConfigError } from "../src/errors.ts";

const KEY = Buffer.alloc(32, 7).toString("base64");

describe("loadConfig with REDIS_URL", () => {
  it("keeps the embedded default when REDIS_URL is unset", () => {
    expect(loadConfig({}).redisUrl).toBeNull();
  });

  it("accepts redis://, rediss:// and a Unix socket path", () => {
    for (const url of ["redis://redis:6379", "rediss://user:pw@cache.example:6380/2", "/run/redis/redis.sock"]) {
      expect(loadConfig({ REDIS_URL: url, CI_MENDER_ENCRYPTION_KEY: KEY }).redisUrl).toBe(url);
    }
  });

  it("refuses a URL of another scheme", () => {
    expect(() => loadConfig({ REDIS_URL: "http://redis:6379", CI_MENDER_ENCRYPTION_KEY: KEY })).toThrow(/REDIS_URL is redis:\/\/host:port/);
  });

  it("refuses to start with the local token store and no shared encryption key, in one line that says what to do", () => {
    let error: unknown;
    try {
      loadConfig({ REDIS_URL: "redis://redis:6379" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^CI_MENDER_ENCRYPTION_KEY is required when REDIS_URL is set with TOKEN_STORE=local/);
    expect((error as Error).message).not.toContain("\n");
  });

  it("needs no local key when the tokens are in AWS Secrets Manager", () => {
    expect(loadConfig({ REDIS_URL: "redis://redis:6379", TOKEN_STORE: "aws" }).redisUrl).toBe("redis://redis:6379");
  });
});
