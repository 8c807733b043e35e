import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startApp, type Harness } from "./helpers/app-harness.ts";
import { fixtureJson } from "./helpers/fixtures.ts";
import {
  nockCreateComment,
  nockInstallationToken,
  nockListComments,
  nockPullsForCommit,
  recordRequests,
  type SeenRequest,
} from "./helpers/github-nock.ts";
import * as bitrise from "./providers/bitrise/nock.ts";
import * as buildkite from "./providers/buildkite/nock.ts";
import * as actions from "./providers/github-actions/nock.ts";

// The provider fixtures describe one repository and commit: acme/widgets at 3f78685, installation 5550001.
const repo = { owner: "acme", name: "widgets" };
const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
const ACCOUNT = 4321;
const INSTALLATION = 5550001;

let app: Harness;
beforeEach(async () => {
  app = await startApp();
});
afterEach(async () => {
  await app.close();
});

/** Asserts a credential appeared on requests to `origin` and on no other request. */
function expectOnlyAt(seen: SeenRequest[], secret: string, origin: string): void {
  const carriers = seen.filter((r) => JSON.stringify(r.headers).includes(secret) || r.body.includes(secret)).map((r) => r.origin);
  expect(carriers.length).toBeGreaterThan(0);
  expect(new Set(carriers)).toEqual(new Set([origin]));
}

function expectNoSecretInLogs(secret: string): void {
  for (const line of app.logLines) expect(line).not.toContain(secret);
}

describe("a failed Buildkite job status on a PR's head", () => {
  it("comments with the job's failure, the token used on the Buildkite API only", async () => {
    await app.tokens.set(ACCOUNT, "buildkite", { token: buildkite.BUILDKITE_TOKEN, verifiedAt: null, scopes: null, updatedBy: null });
    const seen: SeenRequest[] = [];
    const bodies: string[] = [];
    const scopes = [
      nockInstallationToken(INSTALLATION),
      nockPullsForCommit(repo, SHA, [{ number: 42 }]),
      buildkite.nockBuild(),
      buildkite.nockJobLog(buildkite.JOBS.rspec1),
      nockListComments(repo, 42, []),
      nockCreateComment(repo, 42, bodies),
    ].map((scope) => recordRequests(scope, seen));

    await app.send("status", fixtureJson("providers/buildkite/webhook-status-job.json"));
    await app.ci.idle();

    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("Buildkite");
    expect(bodies[0]).toMatch(/rspec/i);
    expectOnlyAt(seen, buildkite.BUILDKITE_TOKEN, buildkite.BUILDKITE_API);
    expectNoSecretInLogs(buildkite.BUILDKITE_TOKEN);
  });
});

describe("a failed Bitrise build status on a PR's head", () => {
  it("comments with the build's failure, the log fetched from signed storage without credentials", async () => {
    await app.tokens.set(ACCOUNT, "bitrise", { token: bitrise.BITRISE_TOKEN, verifiedAt: null, scopes: null, updatedBy: null });
    const seen: SeenRequest[] = [];
    const bodies: string[] = [];
    const scopes = [
      nockInstallationToken(INSTALLATION),
      nockPullsForCommit(repo, SHA, [{ number: 42 }]),
      bitrise.nockApp(),
      bitrise.nockBuild(),
      ...bitrise.nockArchivedLog(),
      nockListComments(repo, 42, []),
      nockCreateComment(repo, 42, bodies),
    ].map((scope) => recordRequests(scope, seen));

    await app.send("status", fixtureJson("providers/bitrise/webhook-status.json"));
    await app.ci.idle();

    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("Bitrise");
    expectOnlyAt(seen, bitrise.BITRISE_TOKEN, bitrise.BITRISE_API);
    expectNoSecretInLogs(bitrise.BITRISE_TOKEN);
  });
});

describe("a failed GitHub Actions check run on a PR's head", () => {
  it("needs no connected token: it reads the job log with the installation's own token", async () => {
    const seen: SeenRequest[] = [];
    const bodies: string[] = [];
    const scopes = [
      nockInstallationToken(INSTALLATION, 1, actions.INSTALLATION_TOKEN),
      actions.nockJob(),
      ...actions.nockJobLog(),
      nockListComments(repo, 42, []),
      nockCreateComment(repo, 42, bodies),
    ].map((scope) => recordRequests(scope, seen));

    await app.send("check_run", fixtureJson("providers/github-actions/webhook-check-run.json"));
    await app.ci.idle();

    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("GitHub Actions");
    expect(bodies[0]).not.toContain("token is connected");
    expectOnlyAt(seen, actions.INSTALLATION_TOKEN, actions.GITHUB_API);
    expectNoSecretInLogs(actions.INSTALLATION_TOKEN);
  });
});

describe("a GitHub Actions check run the installation may not read", () => {
  it("says which permission is missing instead of asking for a token", async () => {
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION, 1, actions.INSTALLATION_TOKEN);
    actions.githubApi().get(`/repos/acme/widgets/actions/jobs/${actions.JOB}`).reply(403, { message: "Resource not accessible by integration" });
    nockListComments(repo, 42, []);
    nockCreateComment(repo, 42, bodies);

    await app.send("check_run", fixtureJson("providers/github-actions/webhook-check-run.json"));
    await app.ci.idle();

    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("Actions: read");
    expect(bodies[0]).not.toContain("/setup");
  });
});
