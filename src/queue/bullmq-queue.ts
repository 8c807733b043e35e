import { DelayedError, Queue, WaitingError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { describeError } from "../errors.ts";
import { jobDuration, jobsFailed, jobsRetried, queueDepth } from "../ops/metrics.ts";
import { workerConnection } from "../state/redis-connection.ts";
import type { RunOutcome, WorkQueue } from "./work-queue.ts";

export interface BullmqQueueOptions<T> {
  /** The shared Redis: `client` for fast-failing producer commands, `url` for the worker's own connections. */
  redis: { url: string; client: Redis };
  /** Key prefix shared by every replica (BullMQ's `prefix`). */
  prefix: string;
  /** Jobs run at once by this process. */
  concurrency: number;
  /** How long a commit's job waits for more events before it runs. */
  settleMs: number;
  /** Items cross Redis as JSON: each is parsed back here, and one that does not parse is dropped. */
  schema: z.ZodType<T>;
  run(key: string, items: T[], attempt: number): Promise<void>;
  onFailure(key: string, error: unknown, attempt: number): RunOutcome;
  /** Longest wait a retry sits in the queue; a provider asking for longer is the pipeline's to report. */
  maxDelayMs?: number;
  /** BullMQ's lock on a running job, renewed at half this; a dead replica's job is free once it lapses. */
  lockDurationMs?: number;
  /** How often workers look for jobs whose lock lapsed (a replica killed mid-job). */
  stalledIntervalMs?: number;
}

/** Lock 20 s, stalled check every 10 s: a killed replica's job runs elsewhere within ~30 s (the bar is 60 s). */
export const LOCK_DURATION_MS = 20_000;
export const STALLED_INTERVAL_MS = 10_000;
const MAX_ITEMS_PER_KEY = 1_000;
const PENDING_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const JOB_NAME = "commit";

const JobData = z.object({ key: z.string().min(1).max(200), attempt: z.number().int().positive() });

/** Appends an item unless the commit already holds the cap; what is waiting covers a flood. */
const PUSH_PENDING = `
if redis.call("LLEN", KEYS[1]) < tonumber(ARGV[2]) then redis.call("RPUSH", KEYS[1], ARGV[1]) end
redis.call("PEXPIRE", KEYS[1], ARGV[3])
return 1`;

/**
 * The queue for replicas: BullMQ on Redis. Each commit's events are appended to a list in Redis and a job for the
 * commit is added with BullMQ's `keepLastIfActive` deduplication, so there is at most one running and one waiting
 * job per commit across all replicas. A job takes every event listed when it starts and removes exactly those
 * when it is done: events that arrive while it runs stay for the follow-up job, and none is ever replaced.
 * Retries are delayed jobs (no worker sleeps); a killed replica's job is picked up by another after its lock lapses.
 */
export class BullmqQueue<T> implements WorkQueue<T> {
  readonly #options: BullmqQueueOptions<T>;
  readonly #queue: Queue;
  readonly #worker: Worker;
  readonly #running = new Set<Promise<unknown>>();

  constructor(options: BullmqQueueOptions<T>) {
    this.#options = options;
    this.#queue = new Queue(JOB_NAME, { connection: options.redis.client, prefix: options.prefix });
    this.#queue.on("error", () => {});
    this.#worker = new Worker(JOB_NAME, (job, token, signal) => this.#process(job, token, signal), {
      connection: workerConnection(options.redis.url, "worker"),
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? LOCK_DURATION_MS,
      stalledInterval: options.stalledIntervalMs ?? STALLED_INTERVAL_MS,
      maxStalledCount: 2,
      removeOnComplete: { count: 1_000 },
      // Failed jobs stay a week, with the events they could not handle, for an operator to inspect or retry.
      removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
    });
    this.#worker.on("error", () => {});
  }

  async add(key: string, item: T): Promise<void> {
    const redis = this.#options.redis.client;
    await redis.eval(PUSH_PENDING, 1, this.#pendingKey(key), JSON.stringify(item), MAX_ITEMS_PER_KEY, PENDING_TTL_MS);
    await this.#queue.add(JOB_NAME, { key, attempt: 1 } satisfies z.infer<typeof JobData>, {
      deduplication: { id: key, keepLastIfActive: true },
      delay: this.#options.settleMs,
    });
  }

  /** Resolves when this process runs nothing and no job is waiting or delayed anywhere. */
  async onIdle(): Promise<void> {
    for (;;) {
      const counts = await this.#queue.getJobCounts("waiting", "delayed", "active", "prioritized");
      const pending = Object.values(counts).reduce((sum, n) => sum + n, 0);
      if (pending === 0 && this.#running.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Jobs by state, for /metrics. */
  async depth(): Promise<Record<string, number>> {
    const counts = await this.#queue.getJobCounts("waiting", "delayed", "active", "failed", "prioritized");
    for (const [state, n] of Object.entries(counts)) queueDepth.set({ state }, n);
    return counts;
  }

  /** Stops taking jobs; running ones get `graceMs` to finish, then go back to the queue for another replica. */
  async close(graceMs = 25_000): Promise<void> {
    const closing = this.#worker.close();
    const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), graceMs).unref());
    if ((await Promise.race([closing, timer])) === "timeout") {
      this.#worker.cancelAllJobs("ci-mender is shutting down");
      await closing;
    }
    await this.#queue.close();
  }

  async #process(job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<void> {
    const data = JobData.parse(job.data);
    const redis = this.#options.redis.client;
    const pendingKey = this.#pendingKey(data.key);
    const raw = await redis.lrange(pendingKey, 0, MAX_ITEMS_PER_KEY - 1);
    const items = raw.flatMap((text) => {
      const parsed = this.#options.schema.safeParse(safeJson(text));
      return parsed.success ? [parsed.data] : [];
    });
    if (items.length === 0) return;
    const started = performance.now();
    const run = this.#options.run(data.key, items, data.attempt);
    this.#track(run);
    try {
      await abortable(run, signal);
    } catch (error) {
      if (signal?.aborted) {
        // Shutdown ran past its grace: the job goes back to waiting with its events, for another replica.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      let outcome: RunOutcome = { retry: false };
      try {
        outcome = this.#options.onFailure(data.key, error, data.attempt);
      } catch {
        // A failing failure handler must not leave the job neither retried nor failed.
      }
      if (outcome.retry) {
        jobDuration.observe({ outcome: "retry" }, (performance.now() - started) / 1000);
        jobsRetried.inc();
        const delayMs = Math.min(Math.max(outcome.delayMs ?? 0, 0), this.#options.maxDelayMs ?? 60_000);
        await job.updateData({ key: data.key, attempt: data.attempt + 1 });
        await job.moveToDelayed(Date.now() + delayMs, token);
        throw new DelayedError();
      }
      jobDuration.observe({ outcome: "failed" }, (performance.now() - started) / 1000);
      jobsFailed.inc();
      // The failed job keeps the events it could not handle; the commit's next event starts afresh.
      await job.updateData({ ...data, items });
      await trimHandled(redis, pendingKey, raw.length);
      // Stored in Redis in clear: only a message that is safe to show.
      throw new Error(describeError(error), { cause: error });
    }
    jobDuration.observe({ outcome: "done" }, (performance.now() - started) / 1000);
    await trimHandled(redis, pendingKey, raw.length);
  }

  #pendingKey(key: string): string {
    return `${this.#options.prefix}:pending:${key}`;
  }

  #track(run: Promise<unknown>): void {
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#running.add(settled);
    void settled.then(() => this.#running.delete(settled));
  }
}

/** Removes the first `count` events: the ones this job read. Later arrivals stay for the follow-up job. */
async function trimHandled(redis: Redis, key: string, count: number): Promise<void> {
  await redis.ltrim(key, count, -1);
}

function abortable<R>(promise: Promise<R>, signal: AbortSignal | undefined): Promise<R> {
  if (!signal) return promise;
  return new Promise<R>((resolve, reject) => {
    const onAbort = () => reject(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
