/**
 * Remembers webhook deliveries already accepted, so a redelivery (same `X-GitHub-Delivery`) does no work.
 * GitHub Enterprise Server allows redelivery for 7 days, github.com for 3.
 */
export class DeliveryLedger {
  readonly #seen = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60 * 1000;
    this.#max = options.max ?? 200_000;
  }

  /** True the first time an id is seen (within the TTL), false for every repeat. */
  firstTime(id: string, now = Date.now()): boolean {
    const seenAt = this.#seen.get(id);
    if (seenAt !== undefined && now - seenAt < this.#ttlMs) return false;
    this.#seen.delete(id);
    this.#seen.set(id, now);
    // Map keeps insertion order: the oldest entries go first when the ledger is full.
    while (this.#seen.size > this.#max) this.#seen.delete(this.#seen.keys().next().value as string);
    return true;
  }
}
