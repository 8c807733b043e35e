import path from "node:path";
import type { Redis } from "ioredis";
import { Keyv, KeyvBridgeAdapter, type KeyvBridgeStore } from "keyv";
import type { Config } from "../config.ts";
import { StoreUnavailable } from "../errors.ts";
import { SqliteKeyvStore } from "../secrets/sqlite-keyv-store.ts";
import { inProcessLedger, redisLedger, type DeliveryLedger } from "./delivery-ledger.ts";
import { connectRedis } from "./redis-connection.ts";
import { RedisKeyvStore } from "./redis-keyv-store.ts";

export type { DeliveryLedger } from "./delivery-ledger.ts";

/** Every Redis key ci-mender writes starts with this, so one Redis can serve other tenants too. */
export const REDIS_PREFIX = "ci-mender:";

/**
 * What must outlive a process or be shared by replicas. SQLite in the data directory when ci-mender runs
 * alone, Redis when `REDIS_URL` is set; callers see the same interface either way.
 */
export interface SharedState {
  /** A keyv namespace for one kind of record (`commits`, `tokens`, ...). */
  keyv(namespace: string): Keyv;
  ledger: DeliveryLedger;
  /** Resolves when the backend answers; throws `StoreUnavailable` otherwise. */
  ping(): Promise<void>;
  /** The connection replicas share, for the job queue; null for the embedded default. */
  redis: { url: string; client: Redis } | null;
  close(): Promise<void>;
}

export async function openState(config: Pick<Config, "dataDir" | "redisUrl">): Promise<SharedState> {
  if (config.redisUrl) return openRedisState(config.redisUrl);
  return openSqliteState(path.join(config.dataDir, "ci-mender.sqlite"));
}

function openSqliteState(file: string): SharedState {
  const store = new SqliteKeyvStore(file);
  return {
    keyv: (namespace) => keyvOn(store, namespace),
    ledger: inProcessLedger(),
    async ping() {},
    redis: null,
    close: () => store.disconnect(),
  };
}

async function openRedisState(url: string): Promise<SharedState> {
  let client: Redis;
  try {
    client = await connectRedis(url, "state");
  } catch (error) {
    throw new StoreUnavailable("Redis (REDIS_URL) could not be reached at start; check the URL and that Redis is running", { cause: error });
  }
  const store = new RedisKeyvStore(client, `${REDIS_PREFIX}kv:`);
  return {
    keyv: (namespace) => keyvOn(store, namespace),
    ledger: redisLedger(client, `${REDIS_PREFIX}delivery:`),
    async ping() {
      try {
        await client.ping();
      } catch (error) {
        throw new StoreUnavailable("Redis is not answering", { cause: error });
      }
    },
    redis: { url, client },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

function keyvOn(store: KeyvBridgeStore, namespace: string): Keyv {
  return new Keyv({ store: new KeyvBridgeAdapter(store), namespace });
}
