import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { ConfigError } from "../src/errors.ts";

/** The configuration error `loadConfig` throws for an environment, or a failure when it accepts it. */
function refusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`configuration was accepted: ${JSON.stringify(env)}`);
}

describe("loadConfig defaults", () => {
  it("starts with no environment at all, for a first local run", () => {
    const config = loadConfig({});
    expect(config.production).toBe(false);
    expect(config.appId).toBeNull();
    expect(config.webhookSecret).toBeUndefined();
    expect(config.baseUrl.href).toBe("http://localhost:3000/");
    expect(config.github.apiUrl.href).toBe("https://api.github.com/");
    expect(config.github.webUrl.href).toBe("https://github.com/");
    expect(config.dataDir).toBe(path.resolve(".data"));
    expect(config.encryptionKey).toBeUndefined();
    expect(config.tokenStore).toEqual({ kind: "local" });
    expect(config.concurrency).toBe(4);
    expect(config.settleMs).toBe(3_000);
    expect(config.httpTimeoutMs).toBe(30_000);
    expect(config.providers.maxLogBytes).toBe(512 * 1024 * 1024);
    expect(config.providers.extraLogHosts).toEqual([]);
    expect(config.providers.githubApiUrl).toEqual(config.github.apiUrl);
    expect(config.providers.githubWebUrl).toEqual(config.github.webUrl);
    expect(Object.fromEntries(Object.entries(config.providers.apiOrigins).map(([id, url]) => [id, url.href]))).toEqual({
      circleci: "https://circleci.com/",
      buildkite: "https://api.buildkite.com/",
      bitrise: "https://api.bitrise.io/",
    });
  });

  it("reads the app id as a number", () => {
    expect(loadConfig({ APP_ID: "123456" }).appId).toBe(123456);
  });

  it("resolves the data directory to an absolute path", () => {
    expect(loadConfig({ CI_MENDER_DATA_DIR: "var/ci-mender" }).dataDir).toBe(path.resolve("var/ci-mender"));
    expect(loadConfig({ CI_MENDER_DATA_DIR: "/srv/ci-mender" }).dataDir).toBe("/srv/ci-mender");
  });

  it("passes the encryption key through for the token store to check", () => {
    expect(loadConfig({ CI_MENDER_ENCRYPTION_KEY: "a2V5" }).encryptionKey).toBe("a2V5");
  });
});

describe("loadConfig in production", () => {
  it("refuses to start without WEBHOOK_SECRET, and says why", () => {
    const error = refusal({ NODE_ENV: "production" });
    expect(error.message).toMatch(/WEBHOOK_SECRET is required when NODE_ENV=production/);
    expect(error.message).toMatch(/development/);
  });

  it("refuses an empty WEBHOOK_SECRET as it refuses a missing one", () => {
    expect(refusal({ NODE_ENV: "production", WEBHOOK_SECRET: "" }).message).toMatch(/WEBHOOK_SECRET is required/);
  });

  it("starts with a webhook secret", () => {
    const config = loadConfig({ NODE_ENV: "production", WEBHOOK_SECRET: "b1c2d3e4f5a6b7c8" });
    expect(config.production).toBe(true);
    expect(config.webhookSecret).toBe("b1c2d3e4f5a6b7c8");
  });

  it("does not require the secret outside production", () => {
    expect(loadConfig({ NODE_ENV: "test" }).production).toBe(false);
  });
});

describe("loadConfig empty values", () => {
  it("treats NAME= as unset, as .env files write it", () => {
    const config = loadConfig({
      APP_ID: "",
      WEBHOOK_SECRET: "",
      GHE_HOST: "",
      GHE_PROTOCOL: "",
      BASE_URL: "",
      GITHUB_CLIENT_ID: "",
      CI_MENDER_ENCRYPTION_KEY: "",
      TOKEN_STORE: "",
      CIRCLECI_API_URL: "",
      CI_MENDER_LOG_HOSTS: "",
      CI_MENDER_CONCURRENCY: "",
      CI_MENDER_SETTLE_MS: "",
      CI_MENDER_AWS_RECOVERY_DAYS: "",
    });
    expect(config.appId).toBeNull();
    expect(config.webhookSecret).toBeUndefined();
    expect(config.github.webUrl.href).toBe("https://github.com/");
    expect(config.baseUrl.href).toBe("http://localhost:3000/");
    expect(config.github.clientId).toBeUndefined();
    expect(config.encryptionKey).toBeUndefined();
    expect(config.tokenStore).toEqual({ kind: "local" });
    expect(config.providers.apiOrigins.circleci.href).toBe("https://circleci.com/");
    expect(config.concurrency).toBe(4);
    expect(config.settleMs).toBe(3_000);
  });

  it("ignores variables it does not know", () => {
    expect(() => loadConfig({ PATH: "/usr/bin", HOME: "/root", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----" })).not.toThrow();
  });
});

describe("loadConfig GitHub Enterprise Server", () => {
  it("derives the API and web URLs from GHE_HOST", () => {
    const config = loadConfig({ GHE_HOST: "github.acme.internal" });
    expect(config.github.apiUrl.href).toBe("https://github.acme.internal/api/v3");
    expect(config.github.webUrl.href).toBe("https://github.acme.internal/");
    expect(config.providers.githubApiUrl.href).toBe("https://github.acme.internal/api/v3");
    expect(config.providers.githubWebUrl.href).toBe("https://github.acme.internal/");
  });

  it("uses GHE_PROTOCOL and keeps a port", () => {
    const config = loadConfig({ GHE_HOST: "ghe.lan:8080", GHE_PROTOCOL: "http" });
    expect(config.github.apiUrl.href).toBe("http://ghe.lan:8080/api/v3");
    expect(config.github.webUrl.href).toBe("http://ghe.lan:8080/");
  });

  it.each(["https://github.acme.internal", "github.acme.internal/path", "github acme", "user@github.acme.internal", "ghe.lan:port"])(
    "refuses GHE_HOST %j with a hint of the expected shape",
    (host) => {
      expect(refusal({ GHE_HOST: host }).message).toMatch(/GHE_HOST: GHE_HOST is a host name such as github.example.com/);
    },
  );

  it("refuses a GHE_PROTOCOL other than http or https", () => {
    expect(refusal({ GHE_HOST: "ghe.lan", GHE_PROTOCOL: "ftp" }).message).toMatch(/GHE_PROTOCOL/);
  });
});

describe("loadConfig CI API origins", () => {
  it("reduces each API URL to its origin, so a path or credentials cannot ride along", () => {
    const config = loadConfig({
      CIRCLECI_API_URL: "https://circleci.acme.internal/api/v2/",
      BUILDKITE_API_URL: "https://user:secret@buildkite-proxy.acme.internal:8443/v2?x=1#frag",
      BITRISE_API_URL: "http://localhost:4010",
    });
    expect(config.providers.apiOrigins.circleci.href).toBe("https://circleci.acme.internal/");
    expect(config.providers.apiOrigins.buildkite.href).toBe("https://buildkite-proxy.acme.internal:8443/");
    expect(config.providers.apiOrigins.bitrise.href).toBe("http://localhost:4010/");
  });

  it.each([
    ["CIRCLECI_API_URL", "ftp://circleci.acme.internal"],
    ["BUILDKITE_API_URL", "javascript:alert(1)"],
    ["BITRISE_API_URL", "file:///etc/passwd"],
    ["CIRCLECI_API_URL", "circleci.acme.internal"],
    ["BUILDKITE_API_URL", "not a url"],
  ])("refuses %s=%j", (name, value) => {
    expect(refusal({ [name]: value }).message).toContain(name);
  });

  it("does not repeat a refused URL's credentials in the error", () => {
    expect(refusal({ CIRCLECI_API_URL: "ftp://admin:hunter2@circleci.acme.internal" }).message).not.toContain("hunter2");
  });

  it("refuses a BASE_URL that is not http(s), and keeps the path of one that is", () => {
    expect(refusal({ BASE_URL: "ftp://ci-mender.acme.dev" }).message).toContain("BASE_URL");
    expect(loadConfig({ BASE_URL: "https://tools.acme.dev/ci-mender" }).baseUrl.href).toBe("https://tools.acme.dev/ci-mender");
  });
});

describe("loadConfig log hosts", () => {
  it("splits CI_MENDER_LOG_HOSTS on commas, trims, lower-cases and drops empty entries", () => {
    expect(loadConfig({ CI_MENDER_LOG_HOSTS: " Minio.ACME.internal , ,storage.Example.com,, " }).providers.extraLogHosts).toEqual([
      "minio.acme.internal",
      "storage.example.com",
    ]);
  });

  it("reads a single host", () => {
    expect(loadConfig({ CI_MENDER_LOG_HOSTS: "127.0.0.1" }).providers.extraLogHosts).toEqual(["127.0.0.1"]);
  });
});

describe("loadConfig numeric limits", () => {
  it("reads valid numbers", () => {
    const config = loadConfig({
      CI_MENDER_CONCURRENCY: "8",
      CI_MENDER_SETTLE_MS: "0",
      CI_MENDER_HTTP_TIMEOUT_MS: "5000",
      CI_MENDER_MAX_LOG_BYTES: "1048576",
    });
    expect([config.concurrency, config.settleMs, config.httpTimeoutMs, config.providers.maxLogBytes]).toEqual([8, 0, 5_000, 1_048_576]);
  });

  it("accepts the largest settle delay and refuses one beyond it", () => {
    expect(loadConfig({ CI_MENDER_SETTLE_MS: "600000" }).settleMs).toBe(600_000);
    expect(refusal({ CI_MENDER_SETTLE_MS: "600001" }).message).toContain("CI_MENDER_SETTLE_MS");
  });

  it.each([
    ["CI_MENDER_CONCURRENCY", "0"],
    ["CI_MENDER_CONCURRENCY", "-2"],
    ["CI_MENDER_CONCURRENCY", "1.5"],
    ["CI_MENDER_CONCURRENCY", "four"],
    ["CI_MENDER_SETTLE_MS", "-1"],
    ["CI_MENDER_SETTLE_MS", "soon"],
    ["CI_MENDER_HTTP_TIMEOUT_MS", "0"],
    ["CI_MENDER_MAX_LOG_BYTES", "512MB"],
    ["CI_MENDER_MAX_LOG_BYTES", "-1"],
    ["CI_MENDER_AWS_RECOVERY_DAYS", "6"],
    ["CI_MENDER_AWS_RECOVERY_DAYS", "31"],
    ["APP_ID", "my-app"],
    ["APP_ID", "0"],
  ])("refuses %s=%j and names the variable", (name, value) => {
    const error = refusal({ [name]: value });
    expect(error.message).toMatch(/^invalid configuration: /);
    expect(error.message).toContain(name);
  });

  it("reports every problem at once", () => {
    const error = refusal({ CI_MENDER_CONCURRENCY: "0", CI_MENDER_SETTLE_MS: "-1", TOKEN_STORE: "vault" });
    for (const name of ["CI_MENDER_CONCURRENCY", "CI_MENDER_SETTLE_MS", "TOKEN_STORE"]) expect(error.message).toContain(name);
  });
});

describe("loadConfig token store", () => {
  it("configures AWS Secrets Manager with its defaults", () => {
    expect(loadConfig({ TOKEN_STORE: "aws" }).tokenStore).toEqual({
      kind: "aws",
      prefix: "ci-mender",
      kmsKeyId: undefined,
      recoveryDays: 7,
      region: undefined,
    });
  });

  it("configures AWS Secrets Manager with every option", () => {
    const config = loadConfig({
      TOKEN_STORE: "aws",
      CI_MENDER_AWS_SECRET_PREFIX: "prod/ci-mender",
      CI_MENDER_AWS_KMS_KEY_ID: "alias/ci-mender",
      CI_MENDER_AWS_RECOVERY_DAYS: "30",
      AWS_REGION: "eu-west-1",
    });
    expect(config.tokenStore).toEqual({ kind: "aws", prefix: "prod/ci-mender", kmsKeyId: "alias/ci-mender", recoveryDays: 30, region: "eu-west-1" });
  });

  it.each(["ci mender", "ci-mender/*", "a".repeat(201)])("refuses the secret prefix %j", (prefix) => {
    expect(refusal({ TOKEN_STORE: "aws", CI_MENDER_AWS_SECRET_PREFIX: prefix }).message).toContain("CI_MENDER_AWS_SECRET_PREFIX");
  });

  it("refuses an unknown token store", () => {
    expect(refusal({ TOKEN_STORE: "vault" }).message).toContain("TOKEN_STORE");
  });
});

describe("CI_MENDER_LOG_HOSTS entries", () => {
  it.each(["https://minio:9000", "minio:9000", "minio/logs", "-bad.example"])("refuses %s, which could never match a host", (entry) => {
    expect(() => loadConfig({ CI_MENDER_LOG_HOSTS: `ok.example,${entry}` })).toThrow(/host names only/);
  });
});
