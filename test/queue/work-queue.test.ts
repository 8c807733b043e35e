import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InProcessQueue, type InProcessQueueOptions, type RunOutcome } from "../../src/queue/work-queue.ts";

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface Call {
  key: string;
  items: string[];
  attempt: number;
  done: Deferred;
}

/**
 * A queue whose runs stay open until the test settles them, so a test can look at what runs at each moment.
 * `inFlight` and `maxInFlight` count runs that have started and not yet finished, across all keys.
 */
function harness(options: Partial<InProcessQueueOptions<string>> & { autoResolve?: boolean } = {}) {
  const calls: Call[] = [];
  const failures: Array<{ key: string; error: unknown; attempt: number }> = [];
  const state = { inFlight: 0, maxInFlight: 0, perKey: new Map<string, number>(), overlapped: false };
  const queue = new InProcessQueue<string>({
    concurrency: options.concurrency ?? 4,
    settleMs: options.settleMs ?? 100,
    run:
      options.run ??
      (async (key, items, attempt) => {
        const done = deferred();
        calls.push({ key, items: [...items], attempt, done });
        state.inFlight += 1;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        const running = (state.perKey.get(key) ?? 0) + 1;
        state.perKey.set(key, running);
        if (running > 1) state.overlapped = true;
        if (options.autoResolve) done.resolve();
        try {
          await done.promise;
        } finally {
          state.inFlight -= 1;
          state.perKey.set(key, (state.perKey.get(key) ?? 1) - 1);
        }
      }),
    onFailure:
      options.onFailure ??
      ((key, error, attempt): RunOutcome => {
        failures.push({ key, error, attempt });
        return { retry: false };
      }),
  });
  return { queue, calls, failures, state };
}

/** Tracks whether a promise has settled, without awaiting it. */
function watch(promise: Promise<unknown>): { settled: boolean } {
  const flag = { settled: false };
  void promise.then(() => {
    flag.settled = true;
  });
  return flag;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("InProcessQueue coalescing", () => {
  it("runs nothing until the settle delay has passed", async () => {
    const { queue, calls } = harness({ settleMs: 100, autoResolve: true });
    queue.add("acme/widgets@abc", "status-1");
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.items)).toEqual([["status-1"]]);
  });

  it("gathers the items added under a key while it waits into one run, in arrival order", async () => {
    const { queue, calls } = harness({ settleMs: 100, autoResolve: true });
    queue.add("k", "a");
    await vi.advanceTimersByTimeAsync(40);
    queue.add("k", "b");
    await vi.advanceTimersByTimeAsync(40);
    queue.add("k", "c");
    await vi.advanceTimersByTimeAsync(20);

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ key: "k", items: ["a", "b", "c"], attempt: 1 });
  });

  it("measures the settle delay from the first item, so a steady trickle cannot postpone a key forever", async () => {
    const { queue, calls } = harness({ settleMs: 100, autoResolve: true });
    for (let t = 0; t < 100; t += 30) {
      queue.add("k", `item-${t}`);
      await vi.advanceTimersByTimeAsync(30);
    }
    expect(calls).toHaveLength(1);
    expect(calls[0]!.items).toEqual(["item-0", "item-30", "item-60", "item-90"]);
  });

  it("keeps different keys apart: each key gets its own run with only its own items", async () => {
    const { queue, calls } = harness({ settleMs: 50, autoResolve: true });
    queue.add("repo-1@sha-a", "x1");
    queue.add("repo-2@sha-b", "y1");
    queue.add("repo-1@sha-a", "x2");
    await vi.advanceTimersByTimeAsync(50);

    const byKey = Object.fromEntries(calls.map((c) => [c.key, c.items]));
    expect(byKey).toEqual({ "repo-1@sha-a": ["x1", "x2"], "repo-2@sha-b": ["y1"] });
  });

  it("keeps at most 1,000 items waiting under one key and drops the later ones of a flood", async () => {
    const { queue, calls } = harness({ settleMs: 100, autoResolve: true });
    for (let i = 0; i < 1_500; i += 1) queue.add("k", `status-${i}`);
    await vi.advanceTimersByTimeAsync(100);

    expect(calls).toHaveLength(1);
    expect(calls[0]!.items).toHaveLength(1_000);
    expect(calls[0]!.items.at(0)).toBe("status-0");
    expect(calls[0]!.items.at(-1)).toBe("status-999");
  });

  it("runs at once when the settle delay is zero", async () => {
    const { queue, calls } = harness({ settleMs: 0, autoResolve: true });
    queue.add("k", "now");
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.items)).toEqual([["now"]]);
  });
});

describe("InProcessQueue one run per key", () => {
  it("runs an item added while its key runs afterwards, in a new run, never alongside", async () => {
    const { queue, calls, state } = harness({ settleMs: 10 });
    queue.add("k", "first");
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(1);

    queue.add("k", "second");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    expect(state.perKey.get("k")).toBe(1);

    calls[0]!.done.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ key: "k", items: ["second"], attempt: 1 });
    calls[1]!.done.resolve();
    await queue.onIdle();
    expect(state.overlapped).toBe(false);
  });

  it("still honours the settle delay of an item added while its key runs", async () => {
    const { queue, calls } = harness({ settleMs: 100 });
    queue.add("k", "first");
    await vi.advanceTimersByTimeAsync(100);
    queue.add("k", "second");
    calls[0]!.done.resolve();
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.items).toEqual(["second"]);
  });

  it("never overlaps runs of one key under a burst of items", async () => {
    const { queue, calls, state } = harness({ settleMs: 5, concurrency: 8 });
    for (let round = 0; round < 5; round += 1) {
      queue.add("k", `r${round}`);
      await vi.advanceTimersByTimeAsync(7);
      for (const call of calls) call.done.resolve();
    }
    await vi.advanceTimersByTimeAsync(20);
    for (const call of calls) call.done.resolve();
    await queue.onIdle();

    expect(state.overlapped).toBe(false);
    expect(calls.flatMap((c) => c.items).sort()).toEqual(["r0", "r1", "r2", "r3", "r4"]);
  });
});

describe("InProcessQueue concurrency", () => {
  it("never runs more keys at once than its concurrency, and runs every key in the end", async () => {
    const { queue, calls, state } = harness({ settleMs: 10, concurrency: 2 });
    for (let i = 0; i < 7; i += 1) queue.add(`key-${i}`, `item-${i}`);
    await vi.advanceTimersByTimeAsync(10);
    expect(state.inFlight).toBe(2);

    // Finish runs one by one: each finished run frees exactly one slot.
    for (let finished = 0; finished < 7; finished += 1) {
      calls[finished]!.done.resolve();
      await vi.advanceTimersByTimeAsync(0);
      expect(state.inFlight).toBeLessThanOrEqual(2);
    }
    await queue.onIdle();

    expect(state.maxInFlight).toBe(2);
    expect(calls.map((c) => c.key).sort()).toEqual(["key-0", "key-1", "key-2", "key-3", "key-4", "key-5", "key-6"]);
  });

  it("uses all of its slots when work is there", async () => {
    const { queue, state, calls } = harness({ settleMs: 0, concurrency: 3 });
    for (let i = 0; i < 5; i += 1) queue.add(`key-${i}`, "x");
    await vi.advanceTimersByTimeAsync(0);
    expect(state.inFlight).toBe(3);
    for (const call of calls) call.done.resolve();
    await vi.advanceTimersByTimeAsync(0);
    for (const call of calls) call.done.resolve();
    await queue.onIdle();
    expect(calls).toHaveLength(5);
  });

  it("adds items to a key that is ready but waiting for a free slot into its coming run", async () => {
    const { queue, calls } = harness({ settleMs: 10, concurrency: 1 });
    queue.add("busy", "b1");
    await vi.advanceTimersByTimeAsync(10);
    queue.add("waiting", "w1");
    await vi.advanceTimersByTimeAsync(10);
    queue.add("waiting", "w2");
    calls[0]!.done.resolve();
    await vi.advanceTimersByTimeAsync(0);

    expect(calls.map((c) => [c.key, c.items])).toEqual([
      ["busy", ["b1"]],
      ["waiting", ["w1", "w2"]],
    ]);
  });
});

describe("InProcessQueue retries", () => {
  it("runs the same items again after the delay onFailure asks for, with the attempt counted up", async () => {
    const seen: Array<{ items: string[]; attempt: number; at: number }> = [];
    const failures: Array<{ error: unknown; attempt: number }> = [];
    const boom = new Error("CircleCI answered 503");
    const queue = new InProcessQueue<string>({
      concurrency: 1,
      settleMs: 10,
      run: async (_key, items, attempt) => {
        seen.push({ items: [...items], attempt, at: Date.now() });
        if (attempt === 1) throw boom;
      },
      onFailure: (_key, error, attempt) => {
        failures.push({ error, attempt });
        return { retry: true, delayMs: 5_000 };
      },
    });
    const start = Date.now();
    queue.add("k", "a");
    queue.add("k", "b");
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toHaveLength(1);
    expect(failures).toEqual([{ error: boom, attempt: 1 }]);

    await vi.advanceTimersByTimeAsync(4_999);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual({ items: ["a", "b"], attempt: 2, at: start + 10 + 5_000 });
    await queue.onIdle();
    expect(failures).toHaveLength(1);
  });

  it("retries at once when onFailure asks for a retry without a delay", async () => {
    const attempts: number[] = [];
    const queue = new InProcessQueue<string>({
      concurrency: 1,
      settleMs: 0,
      run: async (_key, _items, attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw new Error("flaky");
      },
      onFailure: () => ({ retry: true }),
    });
    queue.add("k", "x");
    await vi.advanceTimersByTimeAsync(0);
    await queue.onIdle();
    expect(attempts).toEqual([1, 2, 3]);
  });

  it("stops retrying once onFailure says no, and drops the items", async () => {
    const attempts: number[] = [];
    const decisions: number[] = [];
    const queue = new InProcessQueue<string>({
      concurrency: 1,
      settleMs: 0,
      run: async (_key, _items, attempt) => {
        attempts.push(attempt);
        throw new Error("still broken");
      },
      onFailure: (_key, _error, attempt) => {
        decisions.push(attempt);
        return { retry: attempt < 3, delayMs: 100 };
      },
    });
    queue.add("k", "x");
    await vi.advanceTimersByTimeAsync(1_000);
    await queue.onIdle();
    expect(attempts).toEqual([1, 2, 3]);
    expect(decisions).toEqual([1, 2, 3]);
  });

  it("does not retry when onFailure says no retry", async () => {
    const { queue, calls, failures } = harness({ settleMs: 0 });
    queue.add("k", "x");
    await vi.advanceTimersByTimeAsync(0);
    calls[0]!.done.reject(new Error("token rejected"));
    await queue.onIdle();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(calls).toHaveLength(1);
    expect(failures.map((f) => [f.key, (f.error as Error).message, f.attempt])).toEqual([["k", "token rejected", 1]]);
  });

  it("does not call onFailure for a run that succeeds", async () => {
    const { queue, failures } = harness({ settleMs: 0, autoResolve: true });
    queue.add("k", "x");
    await vi.advanceTimersByTimeAsync(0);
    await queue.onIdle();
    expect(failures).toEqual([]);
  });

  it("keeps the items of a failed run when new items for the key arrived during it", async () => {
    const { queue, calls } = harness({
      settleMs: 10,
      onFailure: () => ({ retry: true, delayMs: 10 }),
    });
    queue.add("k", "old");
    await vi.advanceTimersByTimeAsync(10);
    queue.add("k", "new");
    calls[0]!.done.reject(new Error("503"));
    await vi.advanceTimersByTimeAsync(10);

    expect(calls).toHaveLength(2);
    expect([...calls[1]!.items].sort()).toEqual(["new", "old"]);
    calls[1]!.done.resolve();
    await queue.onIdle();
  });

  it("holds a retry for the delay asked even when new items for the key are already settling", async () => {
    const { queue, calls } = harness({
      settleMs: 10,
      onFailure: () => ({ retry: true, delayMs: 5_000 }),
    });
    queue.add("k", "old");
    await vi.advanceTimersByTimeAsync(10);
    queue.add("k", "new");
    calls[0]!.done.reject(new Error("429 Retry-After: 5"));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(calls).toHaveLength(2);
    expect([...calls[1]!.items].sort()).toEqual(["new", "old"]);
    calls[1]!.done.resolve();
    await queue.onIdle();
  });

  it("survives an onFailure that throws: no retry, no unhandled rejection, and the queue goes on", async () => {
    const { queue, calls } = harness({
      settleMs: 0,
      onFailure: () => {
        throw new Error("logger broke");
      },
    });
    queue.add("k", "a");
    await vi.advanceTimersByTimeAsync(0);
    calls[0]!.done.reject(new Error("boom"));
    await queue.onIdle();
    queue.add("k", "b");
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.items)).toEqual([["a"], ["b"]]);
    calls[1]!.done.resolve();
    await queue.onIdle();
  });

  it("lets other keys run while one waits for its retry", async () => {
    const { queue, calls } = harness({
      settleMs: 0,
      concurrency: 1,
      onFailure: () => ({ retry: true, delayMs: 10_000 }),
    });
    queue.add("failing", "f");
    await vi.advanceTimersByTimeAsync(0);
    calls[0]!.done.reject(new Error("429"));
    queue.add("other", "o");
    await vi.advanceTimersByTimeAsync(0);

    expect(calls.map((c) => c.key)).toEqual(["failing", "other"]);
    calls[1]!.done.resolve();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls.map((c) => c.key)).toEqual(["failing", "other", "failing"]);
    calls[2]!.done.resolve();
    await queue.onIdle();
  });
});

describe("InProcessQueue onIdle", () => {
  it("resolves at once when nothing was ever added", async () => {
    const { queue } = harness();
    await expect(queue.onIdle()).resolves.toBeUndefined();
  });

  it("waits for items that are still settling", async () => {
    const { queue } = harness({ settleMs: 1_000, autoResolve: true });
    queue.add("k", "x");
    const idle = watch(queue.onIdle());
    await vi.advanceTimersByTimeAsync(999);
    expect(idle.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(idle.settled).toBe(true);
  });

  it("waits for runs under way", async () => {
    const { queue, calls } = harness({ settleMs: 0 });
    queue.add("k", "x");
    await vi.advanceTimersByTimeAsync(0);
    const idle = watch(queue.onIdle());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(idle.settled).toBe(false);
    calls[0]!.done.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(idle.settled).toBe(true);
  });

  it("waits for a scheduled retry and the retry's run", async () => {
    const { queue, calls } = harness({ settleMs: 0, onFailure: () => ({ retry: true, delayMs: 2_000 }) });
    queue.add("k", "x");
    await vi.advanceTimersByTimeAsync(0);
    const idle = watch(queue.onIdle());
    calls[0]!.done.reject(new Error("503"));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(idle.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(idle.settled).toBe(false);
    calls[1]!.done.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(idle.settled).toBe(true);
  });

  it("waits for an item added to a key while it runs", async () => {
    const { queue, calls } = harness({ settleMs: 50 });
    queue.add("k", "first");
    await vi.advanceTimersByTimeAsync(50);
    const idle = watch(queue.onIdle());
    queue.add("k", "second");
    calls[0]!.done.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(idle.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    calls[1]!.done.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(idle.settled).toBe(true);
  });

  it("resolves every caller that waits", async () => {
    const { queue } = harness({ settleMs: 10, autoResolve: true });
    queue.add("k", "x");
    const waits = [watch(queue.onIdle()), watch(queue.onIdle()), watch(queue.onIdle())];
    await vi.advanceTimersByTimeAsync(10);
    expect(waits.map((w) => w.settled)).toEqual([true, true, true]);
  });
});

describe("InProcessQueue close", () => {
  it("ignores items added after close", async () => {
    const { queue, calls } = harness({ settleMs: 0, autoResolve: true });
    await queue.close();
    queue.add("k", "late");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(0);
    await expect(queue.onIdle()).resolves.toBeUndefined();
  });

  it("waits for the runs under way and drops the items still settling", async () => {
    const { queue, calls } = harness({ settleMs: 100 });
    queue.add("running", "r");
    await vi.advanceTimersByTimeAsync(100);
    queue.add("settling", "s");

    const closed = watch(queue.close());
    await vi.advanceTimersByTimeAsync(0);
    expect(closed.settled).toBe(false);
    calls[0]!.done.resolve();
    await vi.advanceTimersByTimeAsync(1_000);

    expect(closed.settled).toBe(true);
    expect(calls.map((c) => c.key)).toEqual(["running"]);
  });

  it("does not retry a run that fails during close, and cancels retries already scheduled", async () => {
    const { queue, calls } = harness({ settleMs: 0, concurrency: 2, onFailure: () => ({ retry: true, delayMs: 10 }) });
    queue.add("scheduled", "s");
    queue.add("running", "r");
    await vi.advanceTimersByTimeAsync(0);
    calls[0]!.done.reject(new Error("503"));
    await vi.advanceTimersByTimeAsync(0);

    const closed = queue.close();
    calls[1]!.done.reject(new Error("503"));
    await closed;
    await vi.advanceTimersByTimeAsync(1_000);

    expect(calls.map((c) => c.key)).toEqual(["scheduled", "running"]);
    await expect(queue.onIdle()).resolves.toBeUndefined();
  });

  it("releases onIdle waiters when close drops waiting work", async () => {
    const { queue } = harness({ settleMs: 60_000, autoResolve: true });
    queue.add("k", "x");
    const idle = watch(queue.onIdle());
    await queue.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(idle.settled).toBe(true);
  });
});
