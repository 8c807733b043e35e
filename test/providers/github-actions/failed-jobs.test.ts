import { describe, expect, it } from "vitest";
import { BuildMismatch } from "../../../src/errors.ts";
import { githubActions } from "../../../src/providers/github-actions/index.ts";
import type { BuildRef } from "../../../src/providers/types.ts";
import type { ActionsRef } from "../../../src/providers/github-actions/schema.ts";
import { fixtureJson } from "../../helpers/fixtures.ts";
import {
  failureEventFrom,
  fetchContext,
  onAnotherCommit,
  onAnotherRepository,
  providerSettings,
  recordRequests,
} from "../support.ts";
import { INSTALLATION_TOKEN, JOB, RUN, githubApi, nockJob } from "./nock.ts";

const settings = providerSettings();
const event = failureEventFrom("check_run", "providers/github-actions/webhook-check-run.json");
const checkRunRef = githubActions.resolve(event, settings) as BuildRef<ActionsRef>;
const runRef = githubActions.resolve({ url: `https://github.com/acme/widgets/actions/runs/${RUN}` }, settings) as BuildRef<ActionsRef>;
const RUN_PATH = `/repos/acme/widgets/actions/runs/${RUN}`;

describe("GitHub Actions failed jobs", () => {
  it("returns the check run's job with a link to it", async () => {
    const scope = nockJob();
    expect(await githubActions.failedJobs(checkRunRef, fetchContext(event, INSTALLATION_TOKEN))).toEqual([
      {
        id: JOB,
        name: "test (20.x)",
        webUrl: `https://github.com/acme/widgets/actions/runs/${RUN}/job/${JOB}`,
        status: "failure",
        log: { owner: "acme", repo: "widgets", job: JOB },
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("returns nothing for a job that did not fail", async () => {
    nockJob((job) => Object.assign(job, fixtureJson("providers/github-actions/job-succeeded.json"), { id: Number(JOB) }));
    expect(await githubActions.failedJobs(checkRunRef, fetchContext(event, INSTALLATION_TOKEN))).toEqual([]);
  });

  it("lists the failed and timed-out jobs of a run's latest attempt", async () => {
    githubApi()
      .get(RUN_PATH)
      .reply(200, fixtureJson("providers/github-actions/run.json"))
      .get(`${RUN_PATH}/jobs`)
      .query({ filter: "latest", per_page: "100", page: "1" })
      .reply(200, fixtureJson("providers/github-actions/run-jobs.json"));
    const jobs = await githubActions.failedJobs(runRef, fetchContext(event, INSTALLATION_TOKEN));
    expect(jobs.map((job) => [job.name, job.status])).toEqual([
      ["test (20.x)", "failure"],
      ["e2e", "timed_out"],
    ]);
  });

  it("reads every page of a large run", async () => {
    const { jobs } = fixtureJson<{ jobs: Array<Record<string, unknown>> }>("providers/github-actions/run-jobs.json");
    const failed = jobs[1]!;
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ ...failed, id: 50_000_000_000 + from + i, name: `shard ${from + i}` }));
    githubApi()
      .get(RUN_PATH)
      .reply(200, fixtureJson("providers/github-actions/run.json"))
      .get(`${RUN_PATH}/jobs`)
      .query({ filter: "latest", per_page: "100", page: "1" })
      .reply(200, { total_count: 130, jobs: page(0, 100) })
      .get(`${RUN_PATH}/jobs`)
      .query({ filter: "latest", per_page: "100", page: "2" })
      .reply(200, { total_count: 130, jobs: page(100, 30) });
    const found = await githubActions.failedJobs(runRef, fetchContext(event, INSTALLATION_TOKEN));
    expect(found).toHaveLength(130);
    expect(found.at(-1)?.name).toBe("shard 129");
  });

  it("refuses a link to another repository without a single request", async () => {
    const ref = githubActions.resolve({ url: `https://github.com/acme/gadgets/actions/runs/${RUN}/job/${JOB}` }, settings) as BuildRef<ActionsRef>;
    const recorder = recordRequests();
    await expect(githubActions.failedJobs(ref, fetchContext(event, INSTALLATION_TOKEN))).rejects.toThrow(
      "the GitHub Actions link names acme/gadgets, not acme/widgets; its logs were not read",
    );
    recorder.stop();
    expect(recorder.seen).toEqual([]);
  });

  it("refuses a job that ran on another commit", async () => {
    nockJob();
    const other = onAnotherCommit(event);
    await expect(githubActions.failedJobs(checkRunRef, fetchContext(other, INSTALLATION_TOKEN))).rejects.toThrow(BuildMismatch);
  });

  it("refuses a job whose run belongs to another repository", async () => {
    nockJob((job) => (job.run_url = `https://api.github.com/repos/acme/gadgets/actions/runs/${RUN}`));
    await expect(githubActions.failedJobs(checkRunRef, fetchContext(event, INSTALLATION_TOKEN))).rejects.toThrow(
      "builds github.com/acme/gadgets, not acme/widgets",
    );
  });

  it("refuses a job link whose job is part of another run", async () => {
    const ref = githubActions.resolve({ url: `https://github.com/acme/widgets/actions/runs/1/job/${JOB}` }, settings) as BuildRef<ActionsRef>;
    nockJob();
    await expect(githubActions.failedJobs(ref, fetchContext(event, INSTALLATION_TOKEN))).rejects.toThrow(`is not part of run 1`);
  });

  it("refuses a run of another repository or commit", async () => {
    githubApi().get(`/repos/acme/gadgets/actions/runs/${RUN}`).reply(200, fixtureJson("providers/github-actions/run.json"));
    const elsewhere = onAnotherRepository(event);
    const ref = githubActions.resolve({ url: `https://github.com/acme/gadgets/actions/runs/${RUN}` }, settings) as BuildRef<ActionsRef>;
    await expect(githubActions.failedJobs(ref, fetchContext(elsewhere, INSTALLATION_TOKEN))).rejects.toThrow(
      "the GitHub Actions run 13801234567 builds github.com/acme/widgets, not acme/gadgets",
    );
    githubApi().get(RUN_PATH).reply(200, fixtureJson("providers/github-actions/run.json"));
    await expect(githubActions.failedJobs(runRef, fetchContext(onAnotherCommit(event), INSTALLATION_TOKEN))).rejects.toThrow(BuildMismatch);
  });

  it("calls the GitHub Enterprise Server API under /api/v3 and links to its web host", async () => {
    const ghes = providerSettings({
      githubWebUrl: new URL("https://github.acme.internal"),
      githubApiUrl: new URL("https://github.acme.internal/api/v3"),
    });
    nockJob(() => {}, "https://github.acme.internal", "/api/v3");
    const [job] = await githubActions.failedJobs(checkRunRef, fetchContext(event, INSTALLATION_TOKEN, ghes));
    expect(job?.webUrl).toBe(`https://github.acme.internal/acme/widgets/actions/runs/${RUN}/job/${JOB}`);
  });
});
