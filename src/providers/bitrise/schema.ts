import { z } from "zod";
import { UUID } from "../strict-url.ts";

/** An app (project) as `GET /v0.1/apps` and `GET /v0.1/apps/{app}` describe it. */
export const App = z.object({
  slug: z.string(),
  title: z.string().nullish(),
  provider: z.string().nullish(),
  repo_owner: z.string().nullish(),
  repo_slug: z.string().nullish(),
  repo_url: z.string().nullish(),
  owner: z.object({ name: z.string().nullish() }).nullish(),
});
export type App = z.infer<typeof App>;

const Paging = z.object({ next: z.string().nullish() }).nullish();

/** `GET /v0.1/apps/{app}`. */
export const AppAnswer = z.object({ data: App });

/** `GET /v0.1/apps`, one page (at most 50 apps; `paging.next` names the next page). */
export const AppsPage = z.object({ data: z.array(App), paging: Paging });

/** A build; `status` 0 = running, 1 = success, 2 = failed, 3 = aborted, 4 = aborted with success. */
export const Build = z.object({
  slug: z.string(),
  build_number: z.number().int().nullish(),
  status: z.number().int(),
  status_text: z.string().nullish(),
  abort_reason: z.string().nullish(),
  triggered_workflow: z.string().nullish(),
  pipeline_workflow_id: z.string().nullish(),
  commit_hash: z.string().nullish(),
});
export type Build = z.infer<typeof Build>;

/** `GET /v0.1/apps/{app}/builds/{build}`. */
export const BuildAnswer = z.object({ data: Build });

/** `GET /v0.1/apps/{app}/builds`, one page. */
export const BuildsPage = z.object({ data: z.array(Build), paging: Paging });

/**
 * `GET /v0.1/apps/{app}/builds/{build}/log`. A finished build has `expiring_raw_log_url` (a presigned URL valid
 * for minutes); until the log is archived only `log_chunks` exist, possibly out of order.
 */
export const BuildLog = z.object({
  expiring_raw_log_url: z.string().nullish(),
  is_archived: z.boolean().nullish(),
  log_chunks: z.array(z.object({ chunk: z.string(), position: z.number().int() })).nullish(),
});
export type BuildLog = z.infer<typeof BuildLog>;

/** App and build slugs: 16 hex digits (older ones) or uuids. */
export const BITRISE_SLUG = /^(?:[0-9a-f]{16}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const Slug = z.string().regex(BITRISE_SLUG);

/**
 * What a Bitrise link names: a build (with its app when the link says, or a hint from the user-editable status
 * context when only that does), or a pipeline of an app.
 */
export const BitriseRef = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("build"), build: Slug, app: Slug.optional(), appHint: Slug.optional() }),
  z.object({ kind: z.literal("pipeline"), app: Slug, pipeline: z.string().regex(UUID) }),
]);
export type BitriseRef = z.infer<typeof BitriseRef>;

/** How a failed Bitrise build's log is opened. */
export const BitriseLog = z.object({ app: Slug, build: Slug });
export type BitriseLog = z.infer<typeof BitriseLog>;
