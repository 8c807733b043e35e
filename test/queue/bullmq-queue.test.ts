import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { BullmqQueue, type BullmqQueueOptions } from "../../src/queue/bullmq-queue.ts";
import { connectRedis } from "../../src/state/redis-connection.ts";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.ts";

let redis: RedisServer;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close().catch(() => {});
  const admin = new Redis(redis.url);
  await admin.flushall();
  admin.disconnect();
});

interface Run {
  key: string;
  items: string[];
  attempt: number;
  replica: string;
  at: number;
}

/** A replica: one BullmqQueue on the shared Redis, recording every run it makes. */
async function replica(name: string, runs: Run[], options: Partial<BullmqQueueOptions<string>> = {}) {
  const client = await connectRedis(redis.url, `test-${name}`);
  const queue = new BullmqQueue<string>({
    redis: { url: redis.url, client },
    prefix: "ci-mender",
    concurrency: 4,
    settleMs: 50,
    schema: z.string(),
    run: async (key, items, attempt) => {
      runs.push({ key, items, attempt, replica: name, at: Date.now() });
    },
    onFailure: () => ({ retry: false }),
    ...options,
  });
  open.push({ close: () => queue.close(1_000) }, { close: async () => client.disconnect() });
  return queue;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("BullmqQueue", () => {
  it("runs a commit's events that arrive while its job waits together, once", async () => {
    const runs: Run[] = [];
    const queue = await replica("a", runs);
    await Promise.all(["job-1", "job-2", "job-3"].map((item) => queue.add("repo:sha1", item)));
    await queue.onIdle();
    expect(runs).toEqual([expect.objectContaining({ key: "repo:sha1", items: ["job-1", "job-2", "job-3"], attempt: 1 })]);
  });

  it("merges every event that arrives while a run is active into the one follow-up run, none replaced", async () => {
    const runs: Run[] = [];
    let release!: () => void;
    const firstRunHeld = new Promise<void>((resolve) => (release = resolve));
    const queue = await replica("a", runs, {
      run: async (key, items, attempt) => {
        runs.push({ key, items, attempt, replica: "a", at: Date.now() });
        if (runs.length === 1) await firstRunHeld;
      },
    });
    await queue.add("repo:sha1", "job-1");
    while (runs.length === 0) await sleep(10);
    for (const item of ["job-2", "job-3", "job-4"]) await queue.add("repo:sha1", item);
    release();
    await queue.onIdle();
    expect(runs.map((r) => r.items)).toEqual([["job-1"], ["job-2", "job-3", "job-4"]]);
  });

  it("never runs one commit on two replicas at once, and runs each event exactly once", async () => {
    const runs: Run[] = [];
    let active = 0;
    let overlapped = false;
    const slowRun = (name: string) => async (key: string, items: string[], attempt: number) => {
      active += 1;
      if (active > 1) overlapped = true;
      runs.push({ key, items, attempt, replica: name, at: Date.now() });
      await sleep(40);
      active -= 1;
    };
    const a = await replica("a", runs, { run: slowRun("a") });
    const b = await replica("b", runs, { run: slowRun("b") });
    const sent = Array.from({ length: 200 }, (_, i) => `status-${i}`);
    for (const [i, item] of sent.entries()) {
      await (i % 2 === 0 ? a : b).add("repo:sha1", item);
      if (i % 50 === 0) await sleep(60);
    }
    await a.onIdle();
    await b.onIdle();
    expect(overlapped).toBe(false);
    expect(runs.flatMap((r) => r.items).sort()).toEqual([...sent].sort());
    // Coalesced: far fewer runs than events.
    expect(runs.length).toBeLessThan(20);
  });

  it("retries after the delay the failure asks for, capped, with the attempt counted", async () => {
    const runs: Run[] = [];
    const queue = await replica("a", runs, {
      maxDelayMs: 300,
      run: async (key, items, attempt) => {
        runs.push({ key, items, attempt, replica: "a", at: Date.now() });
        if (attempt === 1) throw new Error("provider asked to wait a day");
      },
      onFailure: (_key, _error, attempt) => ({ retry: attempt < 3, delayMs: 86_400_000 }),
    });
    await queue.add("repo:sha1", "job-1");
    await queue.onIdle();
    expect(runs.map((r) => r.attempt)).toEqual([1, 2]);
    const waited = runs[1]!.at - runs[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(5_000);
    expect(runs[1]!.items).toEqual(["job-1"]);
  });

  it("keeps a job that gave up as a failed job with its events and a message safe to show", async () => {
    const runs: Run[] = [];
    const queue = await replica("a", runs, {
      run: async () => {
        throw Object.assign(new Error("request to https://user:secret@ci.example/ failed"), { status: 502 });
      },
    });
    await queue.add("repo:sha1", "job-1");
    await queue.onIdle();
    const inspect = new Queue("commit", { connection: new Redis(redis.url), prefix: "ci-mender" });
    open.push({ close: () => inspect.close() });
    const [failed] = await inspect.getFailed();
    expect(failed?.data).toEqual({ key: "repo:sha1", attempt: 1, items: ["job-1"] });
    expect(failed?.failedReason).toBe("Error (HTTP 502)");
    expect(failed?.failedReason).not.toContain("secret");
  });

  it("rejects an add at once while Redis is down, and queues again once it is back", async () => {
    const runs: Run[] = [];
    const queue = await replica("a", runs);
    await redis.stop();
    const started = Date.now();
    await expect(queue.add("repo:sha1", "job-1")).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    await redis.start();
    let added = false;
    for (let i = 0; i < 100 && !added; i += 1) {
      added = await queue.add("repo:sha1", "job-2").then(() => true, () => false);
      if (!added) await sleep(100);
    }
    expect(added).toBe(true);
    await queue.onIdle();
    expect(runs.flatMap((r) => r.items)).toEqual(["job-2"]);
  }, 30_000);

  it("hands a run that outlasts the shutdown grace back to the queue, and another replica finishes it", async () => {
    const runs: Run[] = [];
    const a = await replica("a", runs, {
      run: async (key, items, attempt) => {
        runs.push({ key, items, attempt, replica: "a", at: Date.now() });
        await sleep(60_000);
      },
    });
    await a.add("repo:sha1", "job-1");
    while (runs.length === 0) await sleep(10);
    await a.close(200);
    const b = await replica("b", runs);
    await b.onIdle();
    expect(runs.map((r) => [r.replica, r.items])).toEqual([["a", ["job-1"]], ["b", ["job-1"]]]);
  });
});
