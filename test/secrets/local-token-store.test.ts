import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Keyv } from "keyv";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, StoreUnavailable, TokenUnreadable } from "../../src/errors.ts";
import { createLocalTokenStore, loadEncryptionKey } from "../../src/secrets/local-token-store.ts";
import type { TokenWrite } from "../../src/secrets/token-store.ts";

const CIRCLECI_TOKEN = "CCIPAT_Qm9vVh3xY7rT2pL5nK8wJ4dF_6a1e0c9b8d7f6e5a4b3c2d1e0f9a8b7c6d5e4f3a2";
const BUILDKITE_TOKEN = "bkua_5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e";
const BITRISE_TOKEN = "bZx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa_bitrise-pat-token-0123456789";
const ENV_KEY = randomBytes(32).toString("base64");

let dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ci-mender-token-store-"));
  dirs.push(dir);
  return dir;
}

function write(token: string, overrides: Partial<TokenWrite> = {}): TokenWrite {
  return { token, verifiedAt: "2026-03-04T05:06:07.000Z", scopes: null, updatedBy: "octo-admin", ...overrides };
}

/** Every byte ci-mender left in the data directory: the SQLite file, its -wal and -shm, the key file. */
function dataDirBytes(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name))]));
}

/** A store backend that fails the way an unreachable Redis or a broken disk does. */
function unreachableKeyv(): Keyv {
  const fail = async () => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
  };
  return new Keyv({
    store: {
      get: fail,
      set: fail,
      delete: fail,
      clear: fail,
      has: fail,
      async *iterator() {
        yield* [];
        await fail();
      },
    },
  });
}

beforeEach(() => {
  dirs = [];
});

afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("local token store round trip (SQLite in the data directory)", () => {
  it("returns the token it was given, with its metadata", async () => {
    const dir = tempDir();
    const store = createLocalTokenStore({ dataDir: dir });
    const metadata = await store.set(4242, "circleci", write(CIRCLECI_TOKEN, { scopes: ["read"] }));

    expect(metadata).toMatchObject({
      accountId: 4242,
      provider: "circleci",
      last4: CIRCLECI_TOKEN.slice(-4),
      verifiedAt: "2026-03-04T05:06:07.000Z",
      lastError: null,
      scopes: ["read"],
      updatedBy: "octo-admin",
    });
    expect(await store.get(4242, "circleci")).toEqual({ token: CIRCLECI_TOKEN, metadata });
  });

  it("answers null for a slot that was never written", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir() });
    await store.set(4242, "circleci", write(CIRCLECI_TOKEN));
    expect(await store.get(4242, "buildkite")).toBeNull();
    expect(await store.get(4243, "circleci")).toBeNull();
  });

  it("keeps tokens of one account for different providers apart", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir() });
    await store.set(7, "circleci", write(CIRCLECI_TOKEN));
    await store.set(7, "buildkite", write(BUILDKITE_TOKEN));
    expect((await store.get(7, "circleci"))?.token).toBe(CIRCLECI_TOKEN);
    expect((await store.get(7, "buildkite"))?.token).toBe(BUILDKITE_TOKEN);
  });

  it("keeps createdAt and moves updatedAt when a token is rotated", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = createLocalTokenStore({ dataDir: tempDir() });
    vi.setSystemTime(new Date("2026-01-01T00:00:00.000Z"));
    await store.set(7, "circleci", write(CIRCLECI_TOKEN));
    vi.setSystemTime(new Date("2026-02-01T00:00:00.000Z"));
    const rotated = await store.set(7, "circleci", write(BITRISE_TOKEN, { updatedBy: "other-admin" }));

    expect(rotated).toMatchObject({
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-02-01T00:00:00.000Z",
      updatedBy: "other-admin",
      last4: BITRISE_TOKEN.slice(-4),
    });
    expect((await store.get(7, "circleci"))?.token).toBe(BITRISE_TOKEN);
  });

  it("removes a token and says whether one was there", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir() });
    await store.set(7, "bitrise", write(BITRISE_TOKEN));
    expect(await store.remove(7, "bitrise")).toBe(true);
    expect(await store.get(7, "bitrise")).toBeNull();
    expect(await store.remove(7, "bitrise")).toBe(false);
  });

  it("records a successful verification: verifiedAt moves, lastError clears, the token is untouched", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir() });
    await store.set(7, "circleci", write(CIRCLECI_TOKEN, { verifiedAt: null }));
    await store.markVerified(7, "circleci", { at: "2026-05-01T00:00:00.000Z", error: "CircleCI rejected the token" });
    await store.markVerified(7, "circleci", { at: "2026-05-02T00:00:00.000Z", error: null });

    const stored = await store.get(7, "circleci");
    expect(stored?.token).toBe(CIRCLECI_TOKEN);
    expect(stored?.metadata).toMatchObject({ verifiedAt: "2026-05-02T00:00:00.000Z", lastError: null });
  });

  it("records a failed verification: lastError is set and the last good verifiedAt is kept", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir() });
    await store.set(7, "circleci", write(CIRCLECI_TOKEN));
    await store.markVerified(7, "circleci", { at: "2026-05-01T00:00:00.000Z", error: "CircleCI rejected the token (401)" });

    const stored = await store.get(7, "circleci");
    expect(stored?.token).toBe(CIRCLECI_TOKEN);
    expect(stored?.metadata).toMatchObject({
      verifiedAt: "2026-03-04T05:06:07.000Z",
      lastError: "CircleCI rejected the token (401)",
    });
  });

  it("does not create a record when verifying a slot that has no token", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir() });
    await store.markVerified(7, "circleci", { at: "2026-05-01T00:00:00.000Z", error: null });
    expect(await store.get(7, "circleci")).toBeNull();
    expect(await store.list()).toEqual([]);
  });

  it("lists metadata of every account sorted by account then provider, or of one account when asked", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir() });
    await store.set(20, "circleci", write(CIRCLECI_TOKEN));
    await store.set(3, "circleci", write(CIRCLECI_TOKEN));
    await store.set(20, "bitrise", write(BITRISE_TOKEN));
    await store.set(20, "buildkite", write(BUILDKITE_TOKEN));

    const all = await store.list();
    expect(all.map((m) => [m.accountId, m.provider])).toEqual([
      [3, "circleci"],
      [20, "bitrise"],
      [20, "buildkite"],
      [20, "circleci"],
    ]);
    expect((await store.list(20)).map((m) => m.provider)).toEqual(["bitrise", "buildkite", "circleci"]);
    expect(await store.list(99)).toEqual([]);
  });

  it("never puts a token value in what list returns", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir() });
    await store.set(1, "circleci", write(CIRCLECI_TOKEN));
    await store.set(1, "buildkite", write(BUILDKITE_TOKEN));
    const listed = JSON.stringify(await store.list());

    for (const token of [CIRCLECI_TOKEN, BUILDKITE_TOKEN]) {
      expect(listed).not.toContain(token);
      expect(listed).not.toContain(token.slice(0, 12));
    }
    for (const entry of await store.list()) {
      expect(Object.keys(entry).sort()).toEqual(
        ["accountId", "createdAt", "lastError", "last4", "provider", "scopes", "updatedAt", "updatedBy", "verifiedAt"].sort(),
      );
    }
  });

  it("keeps only the last four characters of the token in its metadata", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir() });
    const metadata = await store.set(1, "circleci", write(CIRCLECI_TOKEN));
    const stored = await store.get(1, "circleci");

    for (const shown of [JSON.stringify(metadata), JSON.stringify(stored?.metadata)]) {
      expect(shown).toContain(`"last4":"${CIRCLECI_TOKEN.slice(-4)}"`);
      expect(shown).not.toContain(CIRCLECI_TOKEN.slice(-5));
      expect(shown).not.toContain(CIRCLECI_TOKEN.slice(0, 8));
    }
  });
});

describe("local token store at rest", () => {
  it("writes no token in clear into any file of the data directory", async () => {
    const dir = tempDir();
    const store = createLocalTokenStore({ dataDir: dir });
    await store.set(1, "circleci", write(CIRCLECI_TOKEN));
    await store.set(2, "buildkite", write(BUILDKITE_TOKEN));
    await store.set(3, "bitrise", write(BITRISE_TOKEN));
    await store.markVerified(1, "circleci", { at: "2026-05-01T00:00:00.000Z", error: null });

    const files = dataDirBytes(dir);
    expect([...files.keys()]).toEqual(expect.arrayContaining(["ci-mender.sqlite", "encryption.key"]));
    // The rows live in the WAL until a checkpoint: make sure they were written somewhere we are reading.
    const all = Buffer.concat([...files.values()]);
    expect(all.includes(Buffer.from("\"last4\""))).toBe(true);
    for (const token of [CIRCLECI_TOKEN, BUILDKITE_TOKEN, BITRISE_TOKEN]) {
      for (const [name, bytes] of files) {
        expect(bytes.includes(Buffer.from(token)), `${token.slice(0, 6)}… in ${name}`).toBe(false);
        expect(bytes.includes(Buffer.from(token.slice(0, 16))), `token prefix in ${name}`).toBe(false);
        expect(bytes.includes(Buffer.from(token, "utf16le")), `UTF-16 token in ${name}`).toBe(false);
      }
    }
  });

  it("generates a 32-byte key into the data directory, readable by its owner only", async () => {
    const dir = path.join(tempDir(), "nested", "data");
    createLocalTokenStore({ dataDir: dir });

    const keyFile = path.join(dir, "encryption.key");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(Buffer.from(readFileSync(keyFile, "utf8").trim(), "base64")).toHaveLength(32);
    expect(statSync(path.join(dir, "ci-mender.sqlite")).mode & 0o777).toBe(0o600);
  });

  it("reuses the generated key on restart, so a second store on the same directory reads the token", async () => {
    const dir = tempDir();
    await createLocalTokenStore({ dataDir: dir }).set(4242, "circleci", write(CIRCLECI_TOKEN));
    const keyBefore = readFileSync(path.join(dir, "encryption.key"), "utf8");

    const restarted = createLocalTokenStore({ dataDir: dir });
    expect((await restarted.get(4242, "circleci"))?.token).toBe(CIRCLECI_TOKEN);
    expect(readFileSync(path.join(dir, "encryption.key"), "utf8")).toBe(keyBefore);
  });

  it("generates different keys for different data directories", () => {
    const a = loadEncryptionKey(tempDir(), undefined);
    const b = loadEncryptionKey(tempDir(), undefined);
    expect(a.equals(b)).toBe(false);
  });
});

describe("local token store encryption key", () => {
  it("uses CI_MENDER_ENCRYPTION_KEY when given and writes no key file", async () => {
    const shared = new Keyv();
    const dirA = tempDir();
    await createLocalTokenStore({ dataDir: dirA, encryptionKey: ENV_KEY, keyv: shared }).set(1, "circleci", write(CIRCLECI_TOKEN));

    const sameKeyElsewhere = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv: shared });
    expect((await sameKeyElsewhere.get(1, "circleci"))?.token).toBe(CIRCLECI_TOKEN);
    expect(readdirSync(dirA)).not.toContain("encryption.key");
    expect(loadEncryptionKey(dirA, ENV_KEY).equals(Buffer.from(ENV_KEY, "base64"))).toBe(true);
  });

  it("accepts the key with surrounding whitespace, as copied from `openssl rand -base64 32`", () => {
    expect(loadEncryptionKey(tempDir(), ` ${ENV_KEY}\n`).equals(Buffer.from(ENV_KEY, "base64"))).toBe(true);
  });

  it.each([
    ["too short", randomBytes(16).toString("base64")],
    ["too long", randomBytes(48).toString("base64")],
    ["hex instead of base64", randomBytes(32).toString("hex")],
    ["a passphrase", "correct horse battery staple"],
  ])("refuses a malformed CI_MENDER_ENCRYPTION_KEY (%s) with a ConfigError that does not echo it", (_label, bad) => {
    const attempt = () => createLocalTokenStore({ dataDir: tempDir(), encryptionKey: bad });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/CI_MENDER_ENCRYPTION_KEY must be 32 bytes/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
  });

  it("refuses a damaged key file with a ConfigError naming the file, instead of generating a new key over it", () => {
    const dir = tempDir();
    const keyFile = path.join(dir, "encryption.key");
    writeFileSync(keyFile, "truncated==\n", { mode: 0o600 });

    expect(() => createLocalTokenStore({ dataDir: dir })).toThrow(ConfigError);
    expect(() => createLocalTokenStore({ dataDir: dir })).toThrow(keyFile);
    expect(readFileSync(keyFile, "utf8")).toBe("truncated==\n");
  });

  it("refuses to open a token sealed with another key: TokenUnreadable, never a token", async () => {
    const shared = new Keyv();
    await createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv: shared }).set(1, "circleci", write(CIRCLECI_TOKEN));
    const otherKey = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: randomBytes(32).toString("base64"), keyv: shared });

    await expect(otherKey.get(1, "circleci")).rejects.toBeInstanceOf(TokenUnreadable);
    await expect(otherKey.get(1, "circleci")).rejects.toThrow(/cannot be decrypted.*\/setup/);
  });

  it("refuses a token after the generated key file is replaced", async () => {
    const dir = tempDir();
    await createLocalTokenStore({ dataDir: dir }).set(1, "circleci", write(CIRCLECI_TOKEN));
    writeFileSync(path.join(dir, "encryption.key"), `${randomBytes(32).toString("base64")}\n`);

    await expect(createLocalTokenStore({ dataDir: dir }).get(1, "circleci")).rejects.toBeInstanceOf(TokenUnreadable);
  });
});

describe("local token store binding of a record to its slot", () => {
  it("does not open a record copied into another account's slot", async () => {
    const keyv = new Keyv();
    const store = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv });
    await store.set(1001, "circleci", write(CIRCLECI_TOKEN));
    await keyv.set("2002:circleci", await keyv.get("1001:circleci"));

    const attempt = store.get(2002, "circleci");
    await expect(attempt).rejects.toBeInstanceOf(TokenUnreadable);
    await expect(store.get(2002, "circleci")).rejects.not.toThrow(CIRCLECI_TOKEN);
    expect((await store.get(1001, "circleci"))?.token).toBe(CIRCLECI_TOKEN);
  });

  it("does not open a record copied into another provider's slot in the SQLite file", async () => {
    const dir = tempDir();
    const store = createLocalTokenStore({ dataDir: dir });
    await store.set(1001, "circleci", write(CIRCLECI_TOKEN));

    const db = new DatabaseSync(path.join(dir, "ci-mender.sqlite"));
    try {
      const rows = db.prepare("SELECT key, value FROM kv").all() as Array<{ key: string; value: string }>;
      const original = rows.find((row) => row.key.endsWith("1001:circleci"));
      expect(original).toBeDefined();
      db.prepare("INSERT INTO kv (key, value, expires) VALUES (?, ?, NULL)").run(
        original!.key.replace("1001:circleci", "1001:buildkite"),
        original!.value,
      );
    } finally {
      db.close();
    }

    await expect(store.get(1001, "buildkite")).rejects.toBeInstanceOf(TokenUnreadable);
  });

  it("does not open a record whose ciphertext was altered", async () => {
    const keyv = new Keyv();
    const store = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv });
    await store.set(1, "circleci", write(CIRCLECI_TOKEN));
    const envelope = (await keyv.get("1:circleci")) as { ct: string };
    const ct = Buffer.from(envelope.ct, "base64");
    ct[0] = ct[0]! ^ 0x01;
    await keyv.set("1:circleci", { ...envelope, ct: ct.toString("base64") });

    await expect(store.get(1, "circleci")).rejects.toBeInstanceOf(TokenUnreadable);
  });

  it("does not open a record with a shortened authentication tag", async () => {
    const keyv = new Keyv();
    const store = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv });
    await store.set(1, "circleci", write(CIRCLECI_TOKEN));
    const envelope = (await keyv.get("1:circleci")) as { tag: string };
    await keyv.set("1:circleci", { ...envelope, tag: Buffer.from(envelope.tag, "base64").subarray(0, 4).toString("base64") });

    await expect(store.get(1, "circleci")).rejects.toBeInstanceOf(TokenUnreadable);
  });

  it("reports a record that is not an envelope as unreadable, not as missing", async () => {
    const keyv = new Keyv();
    const store = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv });
    await keyv.set("1:circleci", CIRCLECI_TOKEN);

    const attempt = store.get(1, "circleci");
    await expect(attempt).rejects.toBeInstanceOf(TokenUnreadable);
    await expect(store.get(1, "circleci")).rejects.toThrow(/malformed/);
  });

  it("leaves records that are not envelopes out of the list", async () => {
    const keyv = new Keyv();
    const store = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv });
    await store.set(1, "circleci", write(CIRCLECI_TOKEN));
    await keyv.set("2:circleci", { something: "else" });

    expect((await store.list()).map((m) => m.accountId)).toEqual([1]);
  });
});

describe("local token store when the backend is unreachable", () => {
  it("fails every operation with StoreUnavailable, never null or an empty list", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv: unreachableKeyv() });

    await expect(store.get(1, "circleci")).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.set(1, "circleci", write(CIRCLECI_TOKEN))).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.remove(1, "circleci")).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.markVerified(1, "circleci", { at: "2026-01-01T00:00:00.000Z", error: null })).rejects.toBeInstanceOf(
      StoreUnavailable,
    );
    await expect(store.list()).rejects.toBeInstanceOf(StoreUnavailable);
  });

  it("still fails with StoreUnavailable when the keyv has an error listener, which makes keyv swallow failures", async () => {
    const keyv = unreachableKeyv();
    const logged: unknown[] = [];
    keyv.on("error", (error: unknown) => logged.push(error));
    const store = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv });

    await expect(store.get(1, "circleci")).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.set(1, "circleci", write(CIRCLECI_TOKEN))).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.remove(1, "circleci")).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.list()).rejects.toBeInstanceOf(StoreUnavailable);
    // The operator's own listener still hears about every failure.
    expect(logged.length).toBeGreaterThanOrEqual(4);
  });

  it("works normally after the backend comes back, with or without an error listener", async () => {
    const keyv = new Keyv();
    keyv.on("error", () => undefined);
    const store = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv });
    await store.set(1, "circleci", write(CIRCLECI_TOKEN));
    expect((await store.get(1, "circleci"))?.token).toBe(CIRCLECI_TOKEN);
    expect(await store.get(2, "circleci")).toBeNull();
  });

  it("says the job will be retried and keeps the token out of the error", async () => {
    const store = createLocalTokenStore({ dataDir: tempDir(), encryptionKey: ENV_KEY, keyv: unreachableKeyv() });
    const error = await store.set(1, "circleci", write(CIRCLECI_TOKEN)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreUnavailable);
    expect((error as StoreUnavailable).retryable).toBe(true);
    expect((error as Error).message).toMatch(/retried/);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(CIRCLECI_TOKEN);
  });
});
