import { z } from "zod";

/** `GET /repos/{owner}/{repo}/actions/jobs/{job_id}`, and each entry of a run's job list. */
export const Job = z.object({
  id: z.number().int().positive(),
  run_id: z.number().int().positive(),
  run_url: z.string(),
  head_sha: z.string(),
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
});
export type Job = z.infer<typeof Job>;

/** `GET /repos/{owner}/{repo}/actions/runs/{run_id}`: the repository and commit the run belongs to. */
export const Run = z.object({
  id: z.number().int().positive(),
  head_sha: z.string(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  repository: z.object({ full_name: z.string() }),
});

/** `GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs`, one page of at most 100. */
export const RunJobs = z.object({ total_count: z.number().int().nonnegative(), jobs: z.array(Job) });

/** GitHub login: letters, digits and single hyphens, at most 39 characters. */
export const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
/** Repository name: letters, digits, `.`, `_`, `-` (a name of dots only is not one). */
export const REPO = /^(?!\.+$)[A-Za-z0-9._-]{1,100}$/;
/** Run and job ids: positive integers that stay exact as JavaScript numbers. */
export const ID = /^[1-9][0-9]{0,14}$/;

/**
 * What a GitHub Actions check run or link names: one job (a check run names only its id; a link also its
 * repository and run), or a whole run of a repository.
 */
export const ActionsRef = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("job"),
    job: z.string().regex(ID),
    owner: z.string().regex(OWNER).optional(),
    repo: z.string().regex(REPO).optional(),
    run: z.string().regex(ID).optional(),
  }),
  z.object({ kind: z.literal("run"), owner: z.string().regex(OWNER), repo: z.string().regex(REPO), run: z.string().regex(ID) }),
]);
export type ActionsRef = z.infer<typeof ActionsRef>;

/** How a failed job's log is opened: the repository and job id. */
export const ActionsLog = z.object({ owner: z.string().regex(OWNER), repo: z.string().regex(REPO), job: z.string().regex(ID) });
export type ActionsLog = z.infer<typeof ActionsLog>;
