import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startApp, type Harness } from "./helpers/app-harness.ts";
import { CIRCLECI, CIRCLECI_STORAGE, CIRCLECI_TOKEN, nockJobDetails, nockStepOutput } from "./helpers/circleci-nock.ts";
import { fixtureJson, fixtureText } from "./helpers/fixtures.ts";
import {
  GITHUB_API,
  nockCreateComment,
  nockInstallationToken,
  nockListComments,
  nockPullsForCommit,
  nockUpdateComment,
} from "./helpers/github-nock.ts";

// The PR: acme/widgets#17, head 8f3c2a1 (CircleCI job 1042 fails two vitest tests), based on main.
const repo = { owner: "acme", name: "widgets" };
const SHA = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
const MERGE_BASE = "5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928";
const MAIN_HEAD = "e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e";
const ACCOUNT = 81234567;
const INSTALLATION = 55501234;
const CONTEXT = "ci/circleci: test";

let app: Harness;
beforeEach(async () => {
  app = await startApp();
  await app.tokens.set(ACCOUNT, "circleci", { token: CIRCLECI_TOKEN, verifiedAt: null, scopes: null, updatedBy: "octocat" });
});
afterEach(async () => {
  await app.close();
});

/** GitHub's answers about the PR's base: branch main, the merge base, and main's newest commits. */
function nockBase(): nock.Scope {
  return nock(GITHUB_API)
    .get("/repos/acme/widgets/pulls/17")
    .reply(200, { number: 17, state: "open", head: { sha: SHA, ref: "widget-totals" }, base: { ref: "main", sha: MAIN_HEAD } })
    .get(`/repos/acme/widgets/compare/main...${SHA}`)
    .query(true)
    .reply(200, { status: "diverged", merge_base_commit: { sha: MERGE_BASE }, commits: [] })
    .get("/repos/acme/widgets/commits")
    .query({ sha: "main", per_page: "3" })
    .reply(200, [{ sha: MAIN_HEAD }, { sha: MERGE_BASE }]);
}

type CheckRun = { id: number; name: string; status: string; conclusion: string | null; details_url: string };
type Status = { context: string; state: string; target_url: string };

/** The check runs and statuses GitHub lists for a base commit. */
function nockChecksAt(sha: string, statuses: Status[], runs: CheckRun[] = []): nock.Scope {
  return nock(GITHUB_API)
    .get(`/repos/acme/widgets/commits/${sha}/check-runs`)
    .query(true)
    .reply(200, { total_count: runs.length, check_runs: runs.map((r) => ({ ...r, html_url: `https://github.com/acme/widgets/runs/${r.id}`, app: { slug: "circleci-checks" } })) })
    .get(`/repos/acme/widgets/commits/${sha}/statuses`)
    .query(true)
    .reply(200, statuses);
}

function circleStatus(state: string, build: number): Status {
  return { context: CONTEXT, state, target_url: `https://circleci.com/gh/acme/widgets/${build}?utm_source=github-build-link` };
}

/** CircleCI job `build` on main at `sha`, failing in the same vitest step as the PR's (the same step output). */
function nockBaseBuild(build: number, sha: string): nock.Scope[] {
  const job = fixtureJson("providers/circleci/v1.1-job-1042-failed.json");
  const text = JSON.stringify(job).replaceAll("1042", String(build)).replaceAll(SHA, sha).replaceAll('"widget-totals"', '"main"');
  return [
    nock(CIRCLECI).get(`/api/v1.1/project/github/acme/widgets/${build}`).reply(200, JSON.parse(text)),
    nock(CIRCLECI_STORAGE)
      .get(new RegExp(`^/b3c2a1f0e9d8c7b6a5f4e3d2-acme-widgets-${build}-0\\?`))
      .reply(200, fixtureText("providers/circleci/step-output.vitest-failed.json"), { "content-type": "application/json" }),
  ];
}

/** The PR head's own failure, as in test/app.test.ts. */
function nockHead(bodies: string[]): void {
  nockInstallationToken(INSTALLATION, 3);
  nockPullsForCommit(repo, SHA, [{ number: 17 }], 2);
  nockJobDetails();
  nockStepOutput();
  nockListComments(repo, 17, []);
  nockCreateComment(repo, 17, bodies);
}

async function sendFailure(): Promise<void> {
  await app.send("status", fixtureJson("webhooks/status.failure.circleci.json"));
  await app.ci.idle();
}

describe("a failure compared with the same job on the PR's base branch", () => {
  it("is broken on base when the merge base fails the same way, with a link to that run", async () => {
    const bodies: string[] = [];
    nockHead(bodies);
    const scopes = [
      nockBase(),
      nockChecksAt(MAIN_HEAD, []),
      nockChecksAt(MERGE_BASE, [circleStatus("failure", 1001)]),
      ...nockBaseBuild(1001, MERGE_BASE),
    ];

    await sendFailure();

    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    const body = bodies[0]!;
    // Every failure is explained by the base, so the first line says so.
    expect(body.split("\n")[2]).toContain("No new failures on `8f3c2a1`: every failure is already failing on the base branch");
    expect(body).toContain("Compared with the base branch: 2 broken on the base branch.");
    expect(body).toContain("<details><summary>🧱 2 also failing on the base branch (not caused by this PR)</summary>");
    expect(body).toContain("also failing on `main` \\(the merge base `5b4a392`\\), not caused by this PR");
    expect(body).toContain("(https://circleci.com/gh/acme/widgets/1001)");
    expect(body).not.toContain("### ❌");
  });

  it("is new when the same job passed at the merge base", async () => {
    const bodies: string[] = [];
    nockHead(bodies);
    const base = nockBase();
    const checks = nockChecksAt(MERGE_BASE, [circleStatus("success", 1001)]);
    nockChecksAt(MAIN_HEAD, []);
    const circle = nock(CIRCLECI).get(/1001/).reply(500);

    await sendFailure();

    expect(base.isDone() && checks.isDone()).toBe(true);
    expect(circle.isDone()).toBe(false);
    const body = bodies[0]!;
    expect(body).toContain("## ❌ 1 failed job on `8f3c2a1`");
    expect(body).toContain("Compared with the base branch: 2 new.");
    expect(body).toContain("_New: passes on the merge base `5b4a392` ([passing run on 5b4a392](https://circleci.com/gh/acme/widgets/1001?utm_source=github-build-link))._");
    expect(body).toContain("expected 11 to be 10");
  });

  it("is broken on base when main's latest completed run fails the same way, and a run in progress or cancelled is no evidence", async () => {
    const bodies: string[] = [];
    nockHead(bodies);
    // The merge base ran the job only as a queued and a cancelled check run: nothing either way.
    const queued = { id: 71, name: CONTEXT, status: "queued", conclusion: null, details_url: "https://circleci.com/gh/acme/widgets/1001" };
    const cancelled = { id: 72, name: CONTEXT, status: "completed", conclusion: "cancelled", details_url: "https://circleci.com/gh/acme/widgets/1002" };
    const scopes = [
      nockBase(),
      nockChecksAt(MERGE_BASE, [circleStatus("pending", 1001)], [queued, cancelled]),
      nockChecksAt(MAIN_HEAD, [circleStatus("failure", 1010)]),
      ...nockBaseBuild(1010, MAIN_HEAD),
    ];

    await sendFailure();

    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(bodies[0]).toContain("also failing on `main` \\(`main` at `e1d2c3b` \\(its latest completed run\\)\\), not caused by this PR");
    expect(bodies[0]).toContain("(https://circleci.com/gh/acme/widgets/1010)");
  });

  it("is unclassified when the base never ran the job to completion", async () => {
    const bodies: string[] = [];
    nockHead(bodies);
    const running = { id: 73, name: CONTEXT, status: "in_progress", conclusion: null, details_url: "https://circleci.com/gh/acme/widgets/1003" };
    const scopes = [nockBase(), nockChecksAt(MERGE_BASE, [], [running]), nockChecksAt(MAIN_HEAD, [circleStatus("pending", 1011)])];

    await sendFailure();

    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    const body = bodies[0]!;
    expect(body).toContain("## ❌ 1 failed job");
    expect(body).toContain("Compared with the base branch: 2 unclassified.");
    expect(body).toContain("_Unclassified: the base branch has no completed run of this job, so it may be pre-existing or new._");
  });

  it("still gets the ordinary comment when the provider errors on the base run, claiming nothing", async () => {
    const bodies: string[] = [];
    nockHead(bodies);
    nockBase();
    nockChecksAt(MERGE_BASE, [circleStatus("failure", 1001)]);
    nockChecksAt(MAIN_HEAD, []);
    nock(CIRCLECI).get("/api/v1.1/project/github/acme/widgets/1001").times(3).reply(503, "<h1>Service Unavailable</h1>");

    await sendFailure();

    expect(bodies).toHaveLength(1);
    const body = bodies[0]!;
    expect(body).toContain("## ❌ 1 failed job on `8f3c2a1`");
    expect(body).toContain("expected 11 to be 10");
    expect(body).toContain("the job fails on the merge base `5b4a392` too, but its log could not be compared");
    expect(body).not.toContain("not caused by this PR");
  });

  it("still gets the ordinary comment when GitHub errors on the base look-up", async () => {
    const bodies: string[] = [];
    nockHead(bodies);
    nock(GITHUB_API).get("/repos/acme/widgets/pulls/17").reply(502, { message: "Server Error" });

    await sendFailure();

    const body = bodies[0]!;
    expect(body).toContain("## ❌ 1 failed job on `8f3c2a1`");
    expect(body).toContain("expected 11 to be 10");
    expect(body).toContain("_Not compared with the base branch: GitHub answered HTTP 502._");
    expect(body).not.toContain("Compared with the base branch:");
  });
});

describe("a job that fails, then passes on a re-run of the same commit", () => {
  it("turns its entry into flaky (passed on re-run) instead of dropping it", async () => {
    const bodies: string[] = [];
    nockHead(bodies);
    nockBase();
    nockChecksAt(MERGE_BASE, [circleStatus("success", 1001)]);
    nockChecksAt(MAIN_HEAD, []);
    await sendFailure();
    expect(bodies[0]).toContain("2 new");

    // The re-run of job 1042's workflow on the same commit passes; CircleCI posts a green status for the context.
    nockListComments(repo, 17, [{ id: 9001, body: bodies[0]! }]);
    nock(GITHUB_API)
      .get(`/repos/acme/widgets/commits/${SHA}/statuses`)
      .query(true)
      .reply(200, [{ context: CONTEXT, state: "success" }, { context: CONTEXT, state: "failure" }])
      .get(`/repos/acme/widgets/commits/${SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] });
    const updated: string[] = [];
    nockUpdateComment(repo, 9001, updated);
    const green = { ...fixtureJson("webhooks/status.success.circleci.json"), sha: SHA, target_url: "https://circleci.com/gh/acme/widgets/1043" };
    await app.send("status", green);
    await app.ci.idle();

    expect(updated).toHaveLength(1);
    expect(updated[0]).toContain("✅ Resolved");
    expect(updated[0]).toContain("🔁 Flaky (passed on re-run of the same commit): `test`.");
  });
});
