import nock from "nock";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { BuildMismatch, ProviderUnavailable, UnsafeUrl } from "../../../src/errors.ts";
import type { FailureEvent } from "../../../src/events/failure-event.ts";
import { circleci } from "../../../src/providers/circleci/index.ts";
import { CiHttp } from "../../../src/providers/http.ts";
import type { BuildRef, FetchContext } from "../../../src/providers/types.ts";
import type { CircleciRef } from "../../../src/providers/circleci/schema.ts";
import { CIRCLECI, CIRCLECI_STORAGE, CIRCLECI_TOKEN, nockJobDetails, nockStepOutput } from "../../helpers/circleci-nock.ts";
import { fixtureJson, fixtureText } from "../../helpers/fixtures.ts";
import { closedOrigin } from "../support.ts";
import { readLog, readLogLines } from "../read-log.ts";

const SHA = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
const WF = "5d0c9a5e-0b1c-4a6f-9a0e-2f7d8c1b3e4a";
const settings = loadConfig({}).providers;

function event(patch: Partial<FailureEvent> = {}): FailureEvent {
  return {
    deliveryId: "d1",
    source: "status",
    installationId: 1,
    accountId: 81234567,
    repo: { id: 712345678, owner: "acme", name: "widgets", fullName: "acme/widgets", private: false },
    sha: SHA,
    url: "https://circleci.com/gh/acme/widgets/1042",
    context: "ci/circleci: test",
    appSlug: null,
    externalId: null,
    checkRunId: null,
    conclusion: "failure",
    pullRequests: [],
    ...patch,
  };
}

function ctx(patch: Partial<FailureEvent> = {}, http = new CiHttp({ retryLimit: 0 })): FetchContext {
  return { token: CIRCLECI_TOKEN, event: event(patch), http, settings };
}

const jobRef: BuildRef<CircleciRef> = { provider: "circleci", ids: { kind: "job", slug: "github/acme/widgets", job: "1042" }, key: "k" };
const workflowRef: BuildRef<CircleciRef> = { provider: "circleci", ids: { kind: "workflow", workflow: WF }, key: "w" };

type Action = Record<string, unknown> & { output_url: string | null };

/**
 * "npx vitest run" on two parallel containers, both failed: `container0` patches the first one's action, and the
 * second one's output is the vitest output fixture (at its own storage key).
 */
function nockTwoContainers(container0: (action: Action) => void): void {
  nockJobDetails((job) => {
    const step = (job.steps as Array<{ actions: Action[] }>)[3]!;
    const first = step.actions[0]!;
    const second = { ...first, index: 1, output_url: first.output_url!.replace("-acme-widgets-1042-0?", "-acme-widgets-1042-1?") };
    container0(first);
    step.actions = [first, second];
  });
  nock(CIRCLECI_STORAGE)
    .get(/-acme-widgets-1042-1\?/)
    .reply(200, fixtureText("providers/circleci/step-output.vitest-failed.json"), { "content-type": "application/json" });
}

/** A container that hung: CircleCI's timeout notice ends its output with no line break after it. */
const HUNG_OUTPUT = [
  { message: "#!/bin/bash -eo pipefail\r\nnpx vitest run\r\n\r\n RUN  v5.1.1 /tmp/vt\r\n\r\n", time: "2026-11-21T10:43:31.107Z", type: "out" },
  { message: "\nToo long with no output (exceeded 10m0s): context deadline exceeded", time: "2026-11-21T10:53:31.120Z", type: "out" },
];
const TIMEOUT_LINE = "Too long with no output (exceeded 10m0s): context deadline exceeded";



describe("failed jobs of a CircleCI build", () => {
  it("lists the failed job of a job link with its failed step's output link and a link for people", async () => {
    nockJobDetails();
    const jobs = await circleci.failedJobs(jobRef, ctx());
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ id: "1042", name: "test", webUrl: "https://circleci.com/gh/acme/widgets/1042", status: "failed" });
    const steps = jobs[0]!.log.steps;
    expect(steps.map((s) => [s.name, s.exitCode])).toEqual([["npx vitest run", 1]]);
  });

  it("lists only failed build jobs of a workflow, following pagination", async () => {
    const jobsPage2 = fixtureJson("providers/circleci/v2-workflow-jobs.json");
    nock(CIRCLECI)
      .get(`/api/v2/workflow/${WF}`)
      .reply(200, fixtureJson("providers/circleci/v2-workflow.json"))
      .get("/api/v2/pipeline/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
      .reply(200, fixtureJson("providers/circleci/v2-pipeline.json"))
      .get(`/api/v2/workflow/${WF}/job`)
      .reply(200, { items: [{ job_number: 1040, name: "lint", status: "success", type: "build" }], next_page_token: "page-2" })
      .get(`/api/v2/workflow/${WF}/job`)
      .query({ "page-token": "page-2" })
      .reply(200, jobsPage2);
    nockJobDetails();
    const jobs = await circleci.failedJobs(workflowRef, ctx());
    expect(jobs.map((j) => j.id)).toEqual(["1042"]);
  });

  it("refuses a job of another repository before reading any log", async () => {
    nockJobDetails((job) => {
      job.vcs_url = "https://github.com/acme/private-thing";
    });
    await expect(circleci.failedJobs(jobRef, ctx())).rejects.toBeInstanceOf(BuildMismatch);
  });

  it("refuses a job that ran on another commit", async () => {
    nockJobDetails();
    await expect(circleci.failedJobs(jobRef, ctx({ sha: "0".repeat(40) }))).rejects.toThrow(/another commit/);
  });

  it("refuses a workflow whose pipeline belongs to another repository", async () => {
    nock(CIRCLECI)
      .get(`/api/v2/workflow/${WF}`)
      .reply(200, fixtureJson("providers/circleci/v2-workflow.json"))
      .get("/api/v2/pipeline/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
      .reply(200, { ...fixtureJson("providers/circleci/v2-pipeline.json"), vcs: { revision: SHA, target_repository_url: "https://github.com/other/repo" } });
    await expect(circleci.failedJobs(workflowRef, ctx())).rejects.toBeInstanceOf(BuildMismatch);
  });

  it("sends the token as Circle-Token to the CircleCI API only", async () => {
    const scope = nock(CIRCLECI, { reqheaders: { "circle-token": CIRCLECI_TOKEN } })
      .get("/api/v1.1/project/github/acme/widgets/1042")
      .reply(200, fixtureJson("providers/circleci/v1.1-job-1042-failed.json"));
    await circleci.failedJobs(jobRef, ctx());
    expect(scope.isDone()).toBe(true);
  });

  it("turns a CircleCI outage into a retryable error", async () => {
    nock(CIRCLECI).get("/api/v1.1/project/github/acme/widgets/1042").reply(503, "upstream down");
    await expect(circleci.failedJobs(jobRef, ctx())).rejects.toBeInstanceOf(ProviderUnavailable);
  });
});

describe("reading a CircleCI job log", () => {
  it("streams the failed step's output lines from storage with no credentials", async () => {
    nockJobDetails();
    const [job] = await circleci.failedJobs(jobRef, ctx());
    const storage = nock("https://circle-production-action-output.s3.amazonaws.com", { badheaders: ["circle-token", "authorization"] })
      .get(/acme-widgets-1042-0/)
      .reply(200, fixtureJson("providers/circleci/step-output.vitest-failed.json"));
    const lines = await readLogLines(circleci.openLog(job!, ctx()));
    expect(storage.isDone()).toBe(true);
    expect(lines[0]).toBe("#!/bin/bash -eo pipefail\r");
    expect(lines.some((l) => l.includes("expected 11 to be 10"))).toBe(true);
    expect(lines.at(-1)).toBe("Exited with code exit status 1\r");
  });

  it("does not fetch an output link on a host that is not CircleCI's storage", async () => {
    nockJobDetails((job) => {
      const steps = job.steps as Array<{ actions: Array<{ output_url: string }> }>;
      steps[3]!.actions[0]!.output_url = "https://evil.example/steal?X-Amz-Signature=1";
    });
    const [job] = await circleci.failedJobs(jobRef, ctx());
    const evil = nock("https://evil.example").get(/.*/).reply(200, "[]");
    await expect(readLog(circleci.openLog(job!, ctx()))).rejects.toBeInstanceOf(UnsafeUrl);
    expect(evil.isDone()).toBe(false);
  });

  it("says so when a failed step printed nothing", async () => {
    nockJobDetails((job) => {
      const steps = job.steps as Array<{ actions: Array<Record<string, unknown>> }>;
      Object.assign(steps[3]!.actions[0]!, { has_output: false, output_url: null, exit_code: 137 });
    });
    const [job] = await circleci.failedJobs(jobRef, ctx());
    expect(await readLogLines(circleci.openLog(job!, ctx()))).toEqual(['Step "npx vitest run" failed with exit code 137 and printed no output.']);
  });

  it("starts each failed step on a line of its own, even after output that ends mid-line", async () => {
    nockTwoContainers(() => {});
    nock(CIRCLECI_STORAGE).get(/-acme-widgets-1042-0\?/).reply(200, HUNG_OUTPUT);
    const [job] = await circleci.failedJobs(jobRef, ctx());
    const lines = await readLogLines(circleci.openLog(job!, ctx()));
    const timeout = lines.indexOf(TIMEOUT_LINE);
    expect(timeout).toBeGreaterThan(0);
    expect(lines[timeout + 1]).toBe("#!/bin/bash -eo pipefail\r");
    expect(lines.at(-1)).toBe("Exited with code exit status 1\r");
  });

  it("puts the note about a step that printed nothing on a line of its own, before the next step's output", async () => {
    nockTwoContainers((action) => Object.assign(action, { has_output: false, output_url: null, exit_code: 137 }));
    const [job] = await circleci.failedJobs(jobRef, ctx());
    const lines = await readLogLines(circleci.openLog(job!, ctx()));
    expect(lines.slice(0, 2)).toEqual([
      'Step "npx vitest run (container 0)" failed with exit code 137 and printed no output.',
      "#!/bin/bash -eo pipefail\r",
    ]);
  });

  it("puts the note about a step that printed nothing on a line of its own, after output that ends mid-line", async () => {
    nockJobDetails((job) => {
      const step = (job.steps as Array<{ actions: Action[] }>)[3]!;
      const silent = { ...step.actions[0]!, index: 1, has_output: false, output_url: null, exit_code: 137 };
      step.actions.push(silent);
    });
    nock(CIRCLECI_STORAGE).get(/-acme-widgets-1042-0\?/).reply(200, HUNG_OUTPUT);
    const [job] = await circleci.failedJobs(jobRef, ctx());
    const text = await readLog(circleci.openLog(job!, ctx()));
    expect(text.endsWith(`${TIMEOUT_LINE}\nStep "npx vitest run (container 1)" failed with exit code 137 and printed no output.\n`)).toBe(true);
  });

  it("stops at the byte cap", async () => {
    nockJobDetails();
    const [job] = await circleci.failedJobs(jobRef, ctx());
    nockStepOutput();
    const small = { ...ctx(), settings: { ...settings, maxLogBytes: 1_000 } };
    await expect(readLog(circleci.openLog(job!, small))).rejects.toThrow(/larger than/);
  });
});

describe("verifying a CircleCI token", () => {
  const verify = (token: string) => circleci.verifyToken!(token, { http: new CiHttp({ retryLimit: 0, timeoutMs: 5_000 }), settings });

  it("accepts a token CircleCI answers /api/v2/me for, naming who it acts as", async () => {
    nock(CIRCLECI, { reqheaders: { "circle-token": CIRCLECI_TOKEN } }).get("/api/v2/me").reply(200, fixtureJson("providers/circleci/v2-me.json"));
    expect(await verify(CIRCLECI_TOKEN)).toEqual({ ok: true, identity: "acme-ci-bot", scopes: null, warnings: [] });
  });

  it("rejects a token CircleCI refuses, with what to check", async () => {
    nock(CIRCLECI).get("/api/v2/me").reply(401, "Invalid token provided.", { "content-type": "text/plain" });
    const check = await verify("not-a-token");
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.error).toBe("Invalid CircleCI API token");
      expect(check.hints.join(" ")).toMatch(/Personal API Token/);
      expect(check.hints.join(" ")).toMatch(/expired/);
    }
  });

  it("reports an unreachable CircleCI as unavailable, not as a bad token", async () => {
    const closed = { ...settings, apiOrigins: { ...settings.apiOrigins, circleci: await closedOrigin() } };
    const check = circleci.verifyToken!(CIRCLECI_TOKEN, { http: new CiHttp({ retryLimit: 0, timeoutMs: 5_000 }), settings: closed });
    await expect(check).rejects.toBeInstanceOf(ProviderUnavailable);
  });
});

it("describes one build across the CircleCI fixtures: the workflow's failed job is the v1.1 job", () => {
  const jobs = fixtureJson<{ items: Array<{ job_number?: number; status: string }> }>("providers/circleci/v2-workflow-jobs.json");
  const failed = jobs.items.filter((j) => j.status === "failed").map((j) => j.job_number);
  expect(failed).toEqual([fixtureJson<{ build_num: number }>("providers/circleci/v1.1-job-1042-failed.json").build_num]);
});
