import { z } from "zod";
import type { FailureEvent, SuccessEvent } from "../events/failure-event.ts";
import type { Work } from "../pipeline.ts";

/** A queued item as it comes back from Redis: parsed again, since whatever is in Redis is outside the process. */
const RepoRef = z.object({
  id: z.number().int().positive(),
  owner: z.string(),
  name: z.string(),
  fullName: z.string(),
  private: z.boolean(),
});
const PullRequestHead = z.object({ number: z.number().int().positive(), headSha: z.string() });
const Common = {
  deliveryId: z.string(),
  installationId: z.number().int().positive(),
  accountId: z.number().int().positive(),
  repo: RepoRef,
  sha: z.string(),
  context: z.string(),
  appSlug: z.string().nullable(),
  pullRequests: z.array(PullRequestHead),
};
const Failure = z.object({
  ...Common,
  source: z.enum(["check_run", "status"]),
  url: z.string().nullable(),
  externalId: z.string().nullable(),
  checkRunId: z.number().int().nullable(),
  conclusion: z.string(),
}) satisfies z.ZodType<FailureEvent>;
const Success = z.object(Common) satisfies z.ZodType<SuccessEvent>;

export const WorkSchema: z.ZodType<Work> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("failure"), event: Failure }),
  z.object({ kind: z.literal("success"), event: Success }),
]);
