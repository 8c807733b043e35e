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
