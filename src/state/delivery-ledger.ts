import type { Redis } from "ioredis";
import { DeliveryLedger as InProcessLedger } from "../events/delivery-ledger.ts";

/** Webhook deliveries already accepted (`X-GitHub-Delivery`), so a redelivery to any replica does no work. */
export interface DeliveryLedger {
  /** True for the first claim of an id (within the ledger's TTL), false for every repeat. Atomic. */
  claim(id: string): Promise<boolean>;
  /** Undoes a claim whose work could not be queued, so GitHub's redelivery is not mistaken for a duplicate. */
  release(id: string): Promise<void>;
}

/** GitHub Enterprise Server allows redelivery for 7 days, github.com for 3. */
const TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The embedded default: this process's memory (a restart forgets, and GitHub redelivers only by hand). */
export function inProcessLedger(): DeliveryLedger {
  const ledger = new InProcessLedger({ ttlMs: TTL_MS });
  const released = new Set<string>();
  return {
    async claim(id) {
      if (released.delete(id)) return true;
      return ledger.firstTime(id);
    },
    async release(id) {
      released.add(id);
    },
  };
}

/** Shared by replicas: one `SET NX PX` per delivery, so two replicas racing on one redelivery claim it once. */
export function redisLedger(redis: Redis, prefix: string): DeliveryLedger {
  return {
    async claim(id) {
      return (await redis.set(`${prefix}${id}`, "1", "PX", TTL_MS, "NX")) === "OK";
    },
    async release(id) {
      await redis.del(`${prefix}${id}`);
    },
  };
}
