import nock from "nock";
import { describe, expect, it } from "vitest";
import { BuildMismatch, TokenInvalid } from "../../../src/errors.ts";
import { buildkite } from "../../../src/providers/buildkite/index.ts";
import type { BuildRef } from "../../../src/providers/types.ts";
import type { BuildkiteRef } from "../../../src/providers/buildkite/schema.ts";
import { fixtureJson } from "../../helpers/fixtures.ts";
import {
  failureEventFrom,
  fetchContext,
  onAnotherCommit,
  onAnotherRepository,
  providerSettings,
} from "../support.ts";
import { BUILDKITE_API, BUILDKITE_TOKEN, BUILD_PATH, JOBS, nockBuild } from "./nock.ts";

const settings = providerSettings();

function refFor(event: ReturnType<typeof failureEventFrom>): BuildRef<BuildkiteRef> {
  const ref = buildkite.resolve(event, settings);
  if (!ref) throw new Error("the fixture webhook should resolve to a Buildkite build");
  return ref;
}

describe("Buildkite failed jobs", () => {
  it("lists the failed and timed-out script jobs of a build, leaving out soft failures, passes, waiters and blocks", async () => {
    const event = failureEventFrom("status", "providers/buildkite/webhook-status-build.json");
    const scope = nockBuild();
    const jobs = await buildkite.failedJobs(refFor(event), fetchContext(event, BUILDKITE_TOKEN));
    expect(jobs.map((job) => [job.id, job.name, job.status])).toEqual([
      [JOBS.rspec1, ":rspec: RSpec (1/2)", "failed"],
      [JOBS.rspec2, ":rspec: RSpec (2/2)", "failed"],
      [JOBS.integration, ":docker: Integration", "timed_out"],
    ]);
    expect(jobs[0]).toMatchObject({
      webUrl: `https://buildkite.com/acme/widgets-ci/builds/1482#${JOBS.rspec1}`,
      log: { org: "acme", pipeline: "widgets-ci", number: "1482", job: JOBS.rspec1 },
    });
    expect(scope.isDone()).toBe(true);
  });

  it("keeps only the job a per-job status links to", async () => {
    const event = failureEventFrom("status", "providers/buildkite/webhook-status-job.json");
    nockBuild();
    const jobs = await buildkite.failedJobs(refFor(event), fetchContext(event, BUILDKITE_TOKEN));
    expect(jobs.map((job) => job.id)).toEqual([JOBS.rspec1]);
  });

  it("keeps the jobs of the step a canvas link names", async () => {
    const event = failureEventFrom("check_run", "providers/buildkite/webhook-check-run.json");
    nockBuild();
    const jobs = await buildkite.failedJobs(refFor(event), fetchContext(event, BUILDKITE_TOKEN));
    expect(jobs.map((job) => job.id)).toEqual([JOBS.integration]);
  });

  it("returns nothing when the linked job did not fail (allowed to fail)", async () => {
    const event = failureEventFrom("status", "providers/buildkite/webhook-status-build.json");
    nockBuild();
    const ref = buildkite.resolve({ url: `https://buildkite.com/acme/widgets-ci/builds/1482#${JOBS.smoke}` }, settings);
    expect(await buildkite.failedJobs(ref as BuildRef<BuildkiteRef>, fetchContext(event, BUILDKITE_TOKEN))).toEqual([]);
  });

  it("accepts the repository in any remote form and letter case", async () => {
    const event = failureEventFrom("status", "providers/buildkite/webhook-status-build.json");
    for (const repository of ["https://github.com/Acme/Widgets.git", "ssh://git@github.com/acme/widgets", "git@github.com:acme/widgets"]) {
      nockBuild((build) => ((build.pipeline as Record<string, unknown>).repository = repository));
      const jobs = await buildkite.failedJobs(refFor(event), fetchContext(event, BUILDKITE_TOKEN));
      expect(jobs).toHaveLength(3);
    }
  });

  it("refuses a build of another repository before reading any log", async () => {
    const event = onAnotherRepository(failureEventFrom("status", "providers/buildkite/webhook-status-build.json"));
    nockBuild();
    const failing = buildkite.failedJobs(refFor(event), fetchContext(event, BUILDKITE_TOKEN));
    await expect(failing).rejects.toThrow(BuildMismatch);
    await expect(failing).rejects.toThrow("builds github.com/acme/widgets, not acme/gadgets");
  });

  it("refuses a build of another commit", async () => {
    const event = onAnotherCommit(failureEventFrom("status", "providers/buildkite/webhook-status-build.json"));
    nockBuild();
    await expect(buildkite.failedJobs(refFor(event), fetchContext(event, BUILDKITE_TOKEN))).rejects.toThrow(
      /ran on another commit than 0000000/,
    );
  });

  it("refuses a build whose repository lives on another host, and never repeats credentials from its remote", async () => {
    const event = failureEventFrom("status", "providers/buildkite/webhook-status-build.json");
    nockBuild((build) => {
      (build.pipeline as Record<string, unknown>).repository = "https://deploy:glpat-s3cr3tvalue@gitlab.com/acme/widgets.git";
    });
    const error = await buildkite.failedJobs(refFor(event), fetchContext(event, BUILDKITE_TOKEN)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildMismatch);
    expect(String(error)).toContain("gitlab.com/acme/widgets");
    expect(String(error)).not.toContain("glpat-s3cr3tvalue");
  });

  it("reports a rejected token as TokenInvalid without echoing it", async () => {
    const event = failureEventFrom("status", "providers/buildkite/webhook-status-build.json");
    nock(BUILDKITE_API).get(BUILD_PATH).reply(401, fixtureJson("providers/buildkite/unauthorized.json"));
    const error = await buildkite.failedJobs(refFor(event), fetchContext(event, BUILDKITE_TOKEN)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenInvalid);
    expect(String(error)).not.toContain(BUILDKITE_TOKEN);
  });
});
