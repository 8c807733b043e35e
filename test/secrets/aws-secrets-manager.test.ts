import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, StoreUnavailable, TokenUnreadable } from "../../src/errors.ts";
import { AwsSecretsManagerTokenStore } from "../../src/secrets/aws-secrets-manager.ts";
import { FAKE_CREDENTIALS, REGION, SecretsManagerStandIn } from "../helpers/secrets-manager-server.ts";

const TOKEN = "CCIPAT_Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh_0123456789abcdef0123456789abcdef01234567";
const ROTATED = "CCIPAT_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss_fedcba9876543210fedcba9876543210fedcba98";

let aws: SecretsManagerStandIn;
let endpoint: string;

beforeEach(async () => {
  aws = new SecretsManagerStandIn();
  endpoint = await aws.start();
});

afterEach(async () => {
  vi.useRealTimers();
  await aws.stop();
});

function client(): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint, region: REGION, credentials: FAKE_CREDENTIALS, maxAttempts: 3 });
}

function store(options: Partial<ConstructorParameters<typeof AwsSecretsManagerTokenStore>[0]> = {}) {
  return new AwsSecretsManagerTokenStore({ prefix: "ci-mender", recoveryDays: 7, client: client(), ...options });
}

const write = (token: string, updatedBy = "octo-admin") => ({
  token,
  verifiedAt: "2026-01-02T03:04:05.000Z",
  scopes: null,
  updatedBy,
});

describe("AwsSecretsManagerTokenStore against a loopback Secrets Manager", () => {
  it("creates one signed, tagged secret per account and provider holding token and metadata together", async () => {
    const tokens = store({ kmsKeyId: "alias/ci-mender" });
    const metadata = await tokens.set(4242, "circleci", write(TOKEN));

    expect(aws.operations()).toEqual(["GetSecretValue", "CreateSecret"]);
    const secret = aws.secrets.get("ci-mender/4242/circleci");
    expect(secret?.kmsKeyId).toBe("alias/ci-mender");
    expect(secret?.tags).toEqual([
      { Key: "ci-mender:account-id", Value: "4242" },
      { Key: "ci-mender:provider", Value: "circleci" },
    ]);
    expect(secret?.description).not.toContain(TOKEN);
    expect(JSON.parse(secret?.secretString ?? "{}")).toEqual({ token: TOKEN, metadata });
    expect(metadata).toMatchObject({ accountId: 4242, provider: "circleci", last4: TOKEN.slice(-4), updatedBy: "octo-admin", lastError: null });
    expect(aws.badSignatures).toBe(0);

    const fresh = store();
    expect(await fresh.get(4242, "circleci")).toEqual({ token: TOKEN, metadata });
  });

  it("answers null for an account that never connected the provider", async () => {
    expect(await store().get(7, "buildkite")).toBeNull();
    expect(aws.operations()).toEqual(["GetSecretValue"]);
  });

  it("rotates with PutSecretValue and keeps the creation time", async () => {
    const tokens = store();
    const first = await tokens.set(4242, "circleci", write(TOKEN));
    const second = await tokens.set(4242, "circleci", write(ROTATED, "other-admin"));

    expect(aws.operations()).toEqual(["GetSecretValue", "CreateSecret", "GetSecretValue", "PutSecretValue"]);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second).toMatchObject({ last4: ROTATED.slice(-4), updatedBy: "other-admin" });
    expect((await store().get(4242, "circleci"))?.token).toBe(ROTATED);
  });

  it("removes with the configured recovery window, after which the token reads as absent", async () => {
    const tokens = store({ recoveryDays: 14 });
    await tokens.set(4242, "circleci", write(TOKEN));

    expect(await tokens.remove(4242, "circleci")).toBe(true);
    const deletion = aws.calls.find((call) => call.operation === "DeleteSecret");
    expect(deletion?.body).toEqual({ SecretId: "ci-mender/4242/circleci", RecoveryWindowInDays: 14 });
    expect(await tokens.get(4242, "circleci")).toBeNull();
    expect(await store().get(4242, "circleci")).toBeNull();
    expect(await tokens.remove(4242, "circleci")).toBe(false);
    expect(await tokens.list(4242)).toEqual([]);
  });

  it("restores the secret and writes the new token when the account connects again within the window", async () => {
    const tokens = store();
    await tokens.set(4242, "circleci", write(TOKEN));
    await tokens.remove(4242, "circleci");
    aws.calls.length = 0;

    const metadata = await tokens.set(4242, "circleci", write(ROTATED));

    expect(aws.operations()).toEqual(["GetSecretValue", "RestoreSecret", "PutSecretValue"]);
    expect(aws.secrets.get("ci-mender/4242/circleci")?.deletedDate).toBeNull();
    expect(await store().get(4242, "circleci")).toEqual({ token: ROTATED, metadata });
  });

  it("finishes a connect that races another replica's create or delete", async () => {
    const tokens = store();
    await store().set(1, "circleci", write(TOKEN));
    aws.fail("GetSecretValue", { status: 400, type: "ResourceNotFoundException" });
    await tokens.set(1, "circleci", write(ROTATED));
    expect(aws.operations().slice(-3)).toEqual(["GetSecretValue", "CreateSecret", "PutSecretValue"]);

    await store().remove(1, "circleci");
    aws.fail("GetSecretValue", { status: 400, type: "ResourceNotFoundException" });
    await tokens.set(1, "circleci", write(TOKEN));
    expect(aws.operations().slice(-4)).toEqual(["GetSecretValue", "CreateSecret", "RestoreSecret", "PutSecretValue"]);
    expect((await store().get(1, "circleci"))?.token).toBe(TOKEN);
  });

  it("serves reads from a short cache that its own writes replace", async () => {
    const tokens = store({ cacheTtlMs: 60_000 });
    await tokens.set(4242, "circleci", write(TOKEN));
    aws.calls.length = 0;

    await tokens.get(4242, "circleci");
    await tokens.get(4242, "circleci");
    expect(aws.operations()).toEqual([]);

    await tokens.set(4242, "circleci", write(ROTATED));
    expect((await tokens.get(4242, "circleci"))?.token).toBe(ROTATED);
    await tokens.remove(4242, "circleci");
    expect(await tokens.get(4242, "circleci")).toBeNull();
  });

  it("sees another replica's write once the cache expires, never later than five minutes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const reader = store({ cacheTtlMs: 60 * 60_000 });
    await store().set(4242, "circleci", write(TOKEN));
    expect((await reader.get(4242, "circleci"))?.token).toBe(TOKEN);

    await store().set(4242, "circleci", write(ROTATED));
    vi.setSystemTime(Date.now() + 4 * 60_000);
    expect((await reader.get(4242, "circleci"))?.token).toBe(TOKEN);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await reader.get(4242, "circleci"))?.token).toBe(ROTATED);
  });

  it("records verification outcomes without touching the token", async () => {
    const tokens = store();
    await tokens.set(4242, "circleci", write(TOKEN));

    await tokens.markVerified(4242, "circleci", { at: "2026-02-01T00:00:00.000Z", error: "Invalid CircleCI API token" });
    let stored = await store().get(4242, "circleci");
    expect(stored?.token).toBe(TOKEN);
    expect(stored?.metadata).toMatchObject({ verifiedAt: "2026-01-02T03:04:05.000Z", lastError: "Invalid CircleCI API token" });

    await tokens.markVerified(4242, "circleci", { at: "2026-02-02T00:00:00.000Z", error: null });
    stored = await store().get(4242, "circleci");
    expect(stored?.metadata).toMatchObject({ verifiedAt: "2026-02-02T00:00:00.000Z", lastError: null });

    await tokens.markVerified(99, "circleci", { at: "2026-02-02T00:00:00.000Z", error: null });
    expect(aws.secrets.has("ci-mender/99/circleci")).toBe(false);
  });

  it("lists metadata page by page, one account's or all, ignoring foreign secrets under the prefix", async () => {
    aws.listPageSize = 1;
    const tokens = store();
    await tokens.set(1, "circleci", write(TOKEN));
    await tokens.set(1, "buildkite", write(ROTATED));
    await tokens.set(12, "bitrise", write(TOKEN));
    aws.secrets.set("ci-mender/notes", { ...aws.secrets.get("ci-mender/1/circleci")!, name: "ci-mender/notes" });

    expect((await tokens.list(1)).map((m) => `${m.accountId}/${m.provider}`)).toEqual(["1/buildkite", "1/circleci"]);
    expect((await tokens.list()).map((m) => `${m.accountId}/${m.provider}`)).toEqual(["1/buildkite", "1/circleci", "12/bitrise"]);
    expect(aws.operations().filter((op) => op === "ListSecrets").length).toBeGreaterThan(2);
    expect(JSON.stringify(await tokens.list())).not.toContain(TOKEN);
  });

  it("refuses a value that belongs to another account's slot, and lets it be overwritten or removed", async () => {
    await store().set(1, "circleci", write(TOKEN));
    const foreign = aws.secrets.get("ci-mender/1/circleci")!;
    aws.secrets.set("ci-mender/2/circleci", { ...foreign, name: "ci-mender/2/circleci", arn: `${foreign.arn}-2` });

    const tokens = store();
    await expect(tokens.get(2, "circleci")).rejects.toBeInstanceOf(TokenUnreadable);
    expect(await tokens.list(2)).toEqual([]);

    await tokens.set(2, "circleci", write(ROTATED));
    expect((await store().get(2, "circleci"))?.token).toBe(ROTATED);
    aws.secrets.set("ci-mender/2/circleci", { ...foreign, name: "ci-mender/2/circleci", arn: `${foreign.arn}-2` });
    expect(await store().remove(2, "circleci")).toBe(true);
  });

  it("retries a throttled call inside the SDK and succeeds", async () => {
    await store().set(4242, "circleci", write(TOKEN));
    aws.calls.length = 0;
    aws.fail("GetSecretValue", { status: 400, type: "ThrottlingException", message: "Rate exceeded" });

    expect((await store().get(4242, "circleci"))?.token).toBe(TOKEN);
    expect(aws.operations()).toEqual(["GetSecretValue", "GetSecretValue"]);
  });

  it.each([
    ["persistent throttling", { status: 400, type: "ThrottlingException", message: "Rate exceeded" }, "ThrottlingException, HTTP 400"],
    ["a server error", { status: 500, type: "InternalServiceError", message: "internal" }, "InternalServiceError, HTTP 500"],
    ["a permission error", { status: 400, type: "AccessDeniedException", message: "not authorized" }, "AccessDeniedException, HTTP 400"],
  ])("reports %s as StoreUnavailable, never as a missing token", async (_label, error, detail) => {
    await store().set(4242, "circleci", write(TOKEN));
    aws.fail("*", error, 1_000);

    const failure = await store().get(4242, "circleci").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreUnavailable);
    expect((failure as Error).message).toContain(detail);
    expect((failure as Error).message).not.toContain(TOKEN);
    await expect(store().set(4242, "circleci", write(ROTATED))).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store().remove(4242, "circleci")).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store().list()).rejects.toBeInstanceOf(StoreUnavailable);
  });

  it("reports an unreachable endpoint as StoreUnavailable", async () => {
    const tokens = store();
    await aws.stop();
    aws = new SecretsManagerStandIn();
    await aws.start();

    await expect(tokens.get(4242, "circleci")).rejects.toBeInstanceOf(StoreUnavailable);
  });

  it("refuses a recovery window AWS would refuse", () => {
    expect(() => store({ recoveryDays: 3 })).toThrow(ConfigError);
    expect(() => store({ prefix: "bad prefix" })).toThrow(ConfigError);
  });
});

describe("the Secrets Manager stand-in", () => {
  it("refuses requests signed with the wrong secret key, so passing tests prove real SigV4 signing", async () => {
    const wrongKey = new SecretsManagerClient({
      endpoint,
      region: REGION,
      credentials: { ...FAKE_CREDENTIALS, secretAccessKey: "not-the-right-key" },
      maxAttempts: 1,
    });
    const tokens = new AwsSecretsManagerTokenStore({ prefix: "ci-mender", recoveryDays: 7, client: wrongKey });

    await expect(tokens.get(1, "circleci")).rejects.toThrow(/InvalidSignatureException, HTTP 403/);
    expect(aws.badSignatures).toBe(1);
  });
});
