/** Accepts work items under a key and runs them later, never two runs of one key at once. */
export interface WorkQueue<T> {
  /**
   * Queues an item; items added under a key that is waiting are run together, in one call. Rejects when the
   * item could not be queued (the shared queue is unreachable): the webhook must then not be acknowledged.
   */
  add(key: string, item: T): Promise<void>;
  /** Resolves once nothing is waiting, running or scheduled for a retry. */
  onIdle(): Promise<void>;
  /** Stops taking work and waits for the runs under way (the shared queue hands them back after `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

export interface RunOutcome {
  retry: boolean;
  /** Wait before the retry, in ms. */
  delayMs?: number;
}

export interface InProcessQueueOptions<T> {
  /** Keys run at once. */
  concurrency: number;
  /** How long a key waits for more items before it runs: a workflow's many statuses arrive together. */
  settleMs: number;
  /** Runs one key's items. A rejection is passed to `onFailure`, which decides about a retry. */
  run(key: string, items: T[], attempt: number): Promise<void>;
  onFailure(key: string, error: unknown, attempt: number): RunOutcome;
}

const MAX_ITEMS_PER_KEY = 1_000;

interface Waiting<T> {
  items: T[];
  attempt: number;
  timer: NodeJS.Timeout | null;
  ready: boolean;
  /** When the timer fires (ms since epoch). */
  dueAt: number;
}

/**
 * The default queue: in this process, bounded concurrency, per-key coalescing and retries with a delay.
 * Work waiting here is lost if the process dies; the Redis-backed queue is the durable one for replicas.
 */
export class InProcessQueue<T> implements WorkQueue<T> {
  readonly #options: InProcessQueueOptions<T>;
  readonly #waiting = new Map<string, Waiting<T>>();
  readonly #running = new Map<string, Promise<void>>();
  #idle: Array<() => void> = [];
  #closed = false;

  constructor(options: InProcessQueueOptions<T>) {
    this.#options = options;
  }

  async add(key: string, item: T): Promise<void> {
    if (this.#closed) return;
    this.#enqueue(key, [item], 1, this.#options.settleMs);
  }

  onIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const waiting of this.#waiting.values()) if (waiting.timer) clearTimeout(waiting.timer);
    this.#waiting.clear();
    await Promise.allSettled([...this.#running.values()]);
    this.#settle();
  }

  /**
   * `retry` marks a retry's delay as a floor: items already waiting for the key (which arrived during the failed
   * run) must not pull the retry forward past a provider's Retry-After.
   */
  #enqueue(key: string, items: T[], attempt: number, delayMs: number, retry = false): void {
    const waiting = this.#waiting.get(key);
    if (waiting) {
      // A flood of events for one key must not grow without bound; what is already waiting covers it.
      waiting.items.push(...items.slice(0, Math.max(0, MAX_ITEMS_PER_KEY - waiting.items.length)));
      waiting.attempt = Math.max(waiting.attempt, attempt);
      if (retry && Date.now() + delayMs > waiting.dueAt) this.#schedule(waiting, delayMs);
      return;
    }
    const entry: Waiting<T> = { items: [...items], attempt, timer: null, ready: false, dueAt: 0 };
    this.#waiting.set(key, entry);
    this.#schedule(entry, delayMs);
    this.#pump();
  }

  #schedule(entry: Waiting<T>, delayMs: number): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    entry.dueAt = Date.now() + delayMs;
    entry.ready = delayMs <= 0;
    if (entry.ready) return;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      entry.ready = true;
      this.#pump();
    }, delayMs);
    entry.timer.unref?.();
  }

  #pump(): void {
    for (const [key, waiting] of this.#waiting) {
      if (this.#running.size >= this.#options.concurrency) return;
      if (!waiting.ready || this.#running.has(key)) continue;
      this.#waiting.delete(key);
      const run = this.#runOnce(key, waiting.items, waiting.attempt).finally(() => {
        this.#running.delete(key);
        this.#pump();
        this.#settle();
      });
      this.#running.set(key, run);
    }
  }

  async #runOnce(key: string, items: T[], attempt: number): Promise<void> {
    try {
      await this.#options.run(key, items, attempt);
    } catch (error) {
      let outcome: RunOutcome = { retry: false };
      try {
        outcome = this.#options.onFailure(key, error, attempt);
      } catch {
        // A failing failure handler must not become an unhandled rejection that ends the process.
      }
      if (outcome.retry && !this.#closed) this.#enqueue(key, items, attempt + 1, outcome.delayMs ?? 0, true);
    }
  }

  #isIdle(): boolean {
    return this.#waiting.size === 0 && this.#running.size === 0;
  }

  #settle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
  }
}
