import type { KeyvBridgeStore } from "keyv";
import type { Redis } from "ioredis";

/**
 * A keyv store on an ioredis client, so the keyv-based stores (commit state, the local token store) work
 * unchanged on Redis. Keys live under `prefix`; values are keyv's serialised strings; TTLs are Redis's own.
 */
export class RedisKeyvStore implements KeyvBridgeStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async get(key: string): Promise<unknown> {
    return (await this.#redis.get(this.#prefix + key)) ?? undefined;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (ttl) await this.#redis.set(this.#prefix + key, text, "PX", ttl);
    else await this.#redis.set(this.#prefix + key, text);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#redis.del(this.#prefix + key)) > 0;
  }

  async clear(): Promise<void> {
    for await (const [key] of this.iterator()) await this.#redis.del(this.#prefix + key);
  }

  async *iterator(namespace?: string): AsyncGenerator<[string, unknown]> {
    const match = `${escapeGlob(this.#prefix + (namespace ? `${namespace}:` : ""))}*`;
    let cursor = "0";
    do {
      const [next, keys] = await this.#redis.scan(cursor, "MATCH", match, "COUNT", 500);
      cursor = next;
      if (keys.length === 0) continue;
      const values = await this.#redis.mget(...keys);
      for (const [index, key] of keys.entries()) {
        const value = values[index];
        if (value !== null && value !== undefined) yield [key.slice(this.#prefix.length), value];
      }
    } while (cursor !== "0");
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
