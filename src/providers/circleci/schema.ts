import { z } from "zod";
import { NUMBER, UUID } from "../strict-url.ts";

/** `GET /api/v2/me`. */
export const Me = z.object({ id: z.string(), login: z.string(), name: z.string().nullish() });

/** `GET /api/v2/workflow/{id}`. */
export const Workflow = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  pipeline_id: z.string(),
  pipeline_number: z.number().int().nullish(),
  project_slug: z.string(),
});

/** `GET /api/v2/pipeline/{id}`: the commit and repository the workflow ran for. */
export const Pipeline = z.object({
  id: z.string(),
  project_slug: z.string(),
  vcs: z
    .object({
      revision: z.string(),
      origin_repository_url: z.string().nullish(),
      target_repository_url: z.string().nullish(),
    })
    .nullish(),
});

/** `GET /api/v2/workflow/{id}/job`, one page. */
export const WorkflowJobs = z.object({
  items: z.array(
    z.object({
      job_number: z.number().int().nullish(),
      name: z.string(),
      status: z.string(),
      type: z.string().nullish(),
      project_slug: z.string().nullish(),
    }),
  ),
  next_page_token: z.string().nullish(),
});

/** `GET /api/v1.1/project/{vcs}/{org}/{repo}/{number}`: the only API that lists steps and their output. */
export const JobDetails = z.object({
  build_num: z.number().int(),
  build_url: z.string().nullish(),
  status: z.string().nullish(),
  vcs_revision: z.string().nullish(),
  vcs_url: z.string().nullish(),
  workflows: z.object({ job_name: z.string().nullish(), workflow_id: z.string().nullish() }).nullish(),
  steps: z
    .array(
      z.object({
        name: z.string(),
        actions: z.array(
          z.object({
            index: z.number().int().nullish(),
            name: z.string().nullish(),
            status: z.string().nullish(),
            failed: z.boolean().nullish(),
            exit_code: z.number().int().nullish(),
            has_output: z.boolean().nullish(),
            output_url: z.string().nullish(),
          }),
        ),
      }),
    )
    .default([]),
});
export type JobDetails = z.infer<typeof JobDetails>;

/** What we keep of a failed step to read its output later. */
export const FailedSteps = z.array(
  z.object({ name: z.string(), exitCode: z.number().int().nullable(), url: z.string().nullable() }),
);
export type FailedSteps = z.infer<typeof FailedSteps>;

/** A CircleCI project slug as the v1.1 API wants it (`github/<org>/<repo>`, or `circleci/<org-id>/<project-id>`). */
const PROJECT_SLUG = /^(?:(?:github|bitbucket)\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}|circleci\/[0-9a-f-]{36}\/[0-9a-f-]{36})$/i;

/** What a CircleCI link or check run names: one job of a project, or a whole workflow. */
export const CircleciRef = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("job"), slug: z.string().regex(PROJECT_SLUG), job: z.string().regex(NUMBER) }),
  z.object({ kind: z.literal("workflow"), workflow: z.string().regex(UUID) }),
]);
export type CircleciRef = z.infer<typeof CircleciRef>;

/** How a failed CircleCI job's log is opened: its failed steps, each with its output URL. */
export const CircleciLog = z.object({ slug: z.string().regex(PROJECT_SLUG), job: z.number().int().positive(), steps: FailedSteps });
export type CircleciLog = z.infer<typeof CircleciLog>;
