import { z } from "zod";
import { NUMBER, SLUG, UUID } from "../strict-url.ts";

/** One entry of a build's `jobs`: script, waiter, manual (block) or trigger; only script jobs have logs. */
export const Job = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string().nullish(),
  label: z.string().nullish(),
  step_key: z.string().nullish(),
  step: z.object({ id: z.string().nullish() }).nullish(),
  state: z.string().nullish(),
  soft_failed: z.boolean().nullish(),
  retried: z.boolean().nullish(),
  exit_status: z.number().int().nullish(),
  parallel_group_index: z.number().int().nullish(),
  parallel_group_total: z.number().int().nullish(),
});
export type Job = z.infer<typeof Job>;

/** `GET /v2/organizations/{org}/pipelines/{pipeline}/builds/{number}`: the build with its jobs and pipeline. */
export const Build = z.object({
  id: z.string(),
  number: z.number().int(),
  state: z.string(),
  commit: z.string(),
  jobs: z.array(Job),
  pipeline: z.object({ slug: z.string(), repository: z.string().nullish() }),
});
export type Build = z.infer<typeof Build>;

/** `GET /v2/access-token`: the token's own scopes (no scope is needed to call it). */
export const AccessToken = z.object({
  uuid: z.string(),
  scopes: z.array(z.string()),
  description: z.string().nullish(),
  expires_at: z.string().nullish(),
  user: z.object({ name: z.string().nullish(), email: z.string().nullish() }).nullish(),
});
export type AccessToken = z.infer<typeof AccessToken>;

const BuildIds = { org: z.string().regex(SLUG), pipeline: z.string().regex(SLUG), number: z.string().regex(NUMBER) };

/** What a Buildkite link names: a build, one job of it, or one step (every job of that step). */
export const BuildkiteRef = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("build"), ...BuildIds }),
  z.object({ kind: z.literal("job"), ...BuildIds, job: z.string().regex(UUID) }),
  z.object({ kind: z.literal("step"), ...BuildIds, step: z.string().regex(UUID) }),
]);
export type BuildkiteRef = z.infer<typeof BuildkiteRef>;

/** How a failed Buildkite job's log is opened: its build and job id. */
export const BuildkiteLog = z.object({ ...BuildIds, job: z.string().regex(UUID) });
export type BuildkiteLog = z.infer<typeof BuildkiteLog>;
