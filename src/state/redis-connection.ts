import { Redis, type RedisOptions } from "ioredis";

/**
 * A client for commands that must fail fast when Redis is away (a webhook waiting on it gets a 503 instead of a
 * 2xx after a 9 s timeout): no offline queue, one retry, a command budget. It reconnects by itself.
 */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const client = new Redis(url, {
    ...base(name),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
  });
  // ioredis reports every failed reconnection as an "error" event; an unheard one would end the process.
  client.on("error", () => {});
  await client.connect();
  return client;
}

/**
 * Options for BullMQ's workers, which block on Redis and must wait out an outage rather than fail a command
 * (BullMQ requires `maxRetriesPerRequest: null` for them).
 */
export function workerConnection(url: string, name: string): Redis {
  const client = new Redis(url, { ...base(name), maxRetriesPerRequest: null });
  client.on("error", () => {});
  return client;
}

function base(name: string): RedisOptions {
  // Retry every 0.2 s up to 2 s apart: a Redis restart is noticed within seconds.
  return { connectionName: `ci-mender:${name}`, retryStrategy: (times) => Math.min(times * 200, 2_000) };
}
