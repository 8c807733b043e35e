import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailable } from "../../src/errors.ts";
import { CommitStateStore, emptyState } from "../../src/report/commit-state.ts";
import { createLocalTokenStore } from "../../src/secrets/local-token-store.ts";
import { openState, type SharedState } from "../../src/state/index.ts";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.ts";

const KEY = Buffer.alloc(32, 9).toString("base64");
const TOKEN = "CCIPAT_Replica1Replica1Replica1_0123456789abcdef0123456789abcdef01234567";

let redis: RedisServer;
let dirs: string[] = [];
const states: SharedState[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  for (const state of states.splice(0)) await state.close();
  const admin = new Redis(redis.url);
  await admin.flushall();
  admin.disconnect();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** One replica's view: its own data directory (nothing shared on disk), the shared Redis. */
async function replica(): Promise<{ state: SharedState; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ci-mender-replica-"));
  dirs.push(dataDir);
  const state = await openState({ dataDir, redisUrl: redis.url });
  states.push(state);
  return { state, dataDir };
}

describe("shared state on Redis", () => {
  it("claims a delivery once across replicas, even when both race on it", async () => {
    const [a, b] = [await replica(), await replica()];
    const claims = await Promise.all([a.state.ledger.claim("delivery-1"), b.state.ledger.claim("delivery-1")]);
    expect(claims.sort()).toEqual([false, true]);
    expect(await a.state.ledger.claim("delivery-2")).toBe(true);
  });

  it("lets a delivery whose work could not be queued be claimed again", async () => {
    const { state } = await replica();
    expect(await state.ledger.claim("delivery-1")).toBe(true);
    await state.ledger.release("delivery-1");
    expect(await state.ledger.claim("delivery-1")).toBe(true);
  });

  it("shares commit state between replicas", async () => {
    const [a, b] = [await replica(), await replica()];
    const saved = { ...emptyState(), doneRefs: ["circleci:wf-1"], contexts: ["ci/circleci: test"] };
    await new CommitStateStore(a.state.keyv("commits")).save(1, "abc", saved);
    expect(await new CommitStateStore(b.state.keyv("commits")).load(1, "abc")).toEqual(saved);
  });

  it("serves a token connected on one replica to every replica, sealed, and removing it on one removes it for all", async () => {
    const [a, b] = [await replica(), await replica()];
    const storeA = createLocalTokenStore({ dataDir: a.dataDir, encryptionKey: KEY, keyv: a.state.keyv("tokens") });
    const storeB = createLocalTokenStore({ dataDir: b.dataDir, encryptionKey: KEY, keyv: b.state.keyv("tokens") });
    await storeA.set(81234567, "circleci", { token: TOKEN, verifiedAt: null, scopes: null, updatedBy: "octocat" });
    expect((await storeB.get(81234567, "circleci"))?.token).toBe(TOKEN);
    expect((await storeB.list()).map((m) => [m.accountId, m.provider, m.last4])).toEqual([[81234567, "circleci", "4567"]]);
    // At rest in Redis the token is sealed: its text appears nowhere.
    const raw = new Redis(redis.url);
    const keys = await raw.keys("*");
    const values = await Promise.all(keys.map((k) => raw.get(k)));
    raw.disconnect();
    expect(keys.some((k) => k.includes("tokens"))).toBe(true);
    expect(values.join("\n")).not.toContain(TOKEN.slice(8));
    expect(await storeB.remove(81234567, "circleci")).toBe(true);
    expect(await storeA.get(81234567, "circleci")).toBeNull();
  });

  it("reports Redis going away as unavailable, never as no token", async () => {
    const { state, dataDir } = await replica();
    const store = createLocalTokenStore({ dataDir, encryptionKey: KEY, keyv: state.keyv("tokens") });
    await redis.stop();
    try {
      await expect(store.get(81234567, "circleci")).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(state.ping()).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(state.ledger.claim("delivery-x")).rejects.toThrow();
    } finally {
      await redis.start();
    }
  });

  it("refuses to start when Redis cannot be reached", async () => {
    await expect(openState({ dataDir: tmpdir(), redisUrl: path.join(tmpdir(), "no-such-redis.sock") })).rejects.toBeInstanceOf(StoreUnavailable);
  });
});
