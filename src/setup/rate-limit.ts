/** A fixed-window counter per key: cheap, in memory, and enough to stop a script hammering the token form. */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(options: { limit: number; windowMs: number; now: () => number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now;
  }

  /** Counts one attempt; false once `key` went past the limit in the current window. */
  take(key: string): boolean {
    const now = this.#now();
    for (const [oldKey, old] of this.#windows) {
      if (now - old.start < this.#windowMs) break;
      this.#windows.delete(oldKey);
    }
    const window = this.#windows.get(key);
    if (!window) {
      this.#windows.set(key, { start: now, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.#limit;
  }
}
