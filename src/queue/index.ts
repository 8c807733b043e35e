import type { SharedState } from "../state/index.ts";
import { REDIS_PREFIX } from "../state/index.ts";
import { BullmqQueue } from "./bullmq-queue.ts";
import { InProcessQueue, type InProcessQueueOptions, type WorkQueue } from "./work-queue.ts";
import type { z } from "zod";

export type { WorkQueue } from "./work-queue.ts";

/** BullMQ on the shared Redis when there is one; the in-process queue otherwise. Callers see one interface. */
export function createWorkQueue<T>(
  shared: SharedState | undefined,
  options: InProcessQueueOptions<T> & { schema: z.ZodType<T> },
): WorkQueue<T> {
  if (shared?.redis) return new BullmqQueue({ ...options, redis: shared.redis, prefix: REDIS_PREFIX.slice(0, -1) });
  return new InProcessQueue(options);
}
