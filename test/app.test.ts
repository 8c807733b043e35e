import fc from "fast-check";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StoreUnavailable } from "../src/errors.ts";
import { renderMarker } from "../src/report/marker.ts";
import { startApp, type Harness } from "./helpers/app-harness.ts";
import {
  CIRCLECI,
  CIRCLECI_STORAGE,
  CIRCLECI_TOKEN,
  nockJobDetails,
  nockStepOutput,
  nockWorkflow,
} from "./helpers/circleci-nock.ts";
import { fixtureJson } from "./helpers/fixtures.ts";
import {
  GITHUB_API,
  INSTALLATION_TOKEN,
  nockCreateComment,
  nockInstallationToken,
  nockListComments,
  nockPullsForCommit,
  nockUpdateComment,
  recordRequests,
  type SeenRequest,
} from "./helpers/github-nock.ts";

const repo = { owner: "acme", name: "widgets" };
const SHA = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
const ACCOUNT = 81234567;
const INSTALLATION = 55501234;

let app: Harness;

beforeEach(async () => {
  app = await startApp();
});

afterEach(async () => {
  await app.close();
});

async function connectCircleci(): Promise<void> {
  await app.tokens.set(ACCOUNT, "circleci", { token: CIRCLECI_TOKEN, verifiedAt: null, scopes: null, updatedBy: "octocat" });
}

function statusPayload(patch: Record<string, unknown> = {}) {
  return { ...fixtureJson("webhooks/status.failure.circleci.json"), ...patch };
}

describe("a failed CircleCI status on a PR's head", () => {
  it("posts one comment naming the failing tests with links to the job and the lines", async () => {
    await connectCircleci();
    const bodies: string[] = [];
    const scopes = [
      nockInstallationToken(INSTALLATION),
      nockPullsForCommit(repo, SHA, [{ number: 17 }]),
      nockJobDetails(),
      nockStepOutput(),
      nockListComments(repo, 17, []),
      nockCreateComment(repo, 17, bodies),
    ];
    const response = await app.send("status", statusPayload());
    expect(response.status).toBe(200);
    await app.ci.idle();
    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    const body = bodies[0]!;
    expect(body.startsWith("<!-- ci-mender:v1 ")).toBe(true);
    expect(body).toContain("[test](https://circleci.com/gh/acme/widgets/1042)");
    expect(body).toContain("expected 1 to be +0");
    expect(body).toContain("expected 11 to be 10");
    expect(body.length).toBeLessThanOrEqual(65_536);
  });

  it("reads the workflow of a CircleCI Checks check run and skips jobs that passed or wait for approval", async () => {
    await connectCircleci();
    const bodies: string[] = [];
    // The check run names its PR (#17), so no PR lookup is made.
    const lookup = nockPullsForCommit(repo, SHA, [{ number: 99 }]);
    const scopes = [
      nockInstallationToken(INSTALLATION),
      nockWorkflow(),
      nockJobDetails(),
      nockStepOutput(),
      nockListComments(repo, 17, []),
      nockCreateComment(repo, 17, bodies),
    ];
    await app.send("check_run", fixtureJson("webhooks/check_run.completed.circleci-checks.json"));
    await app.ci.idle();
    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(lookup.isDone()).toBe(false);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("expected 11 to be 10");
  });

  it("costs one log download and one comment write for a redelivery and for repeated statuses of the same job", async () => {
    await connectCircleci();
    const bodies: string[] = [];
    const jobScope = nockJobDetails();
    const outputScope = nockStepOutput();
    nockInstallationToken(INSTALLATION, 3);
    nockPullsForCommit(repo, SHA, [{ number: 17 }], 3);
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);

    const payload = statusPayload();
    await app.send("status", payload, { id: "delivery-1" });
    await app.send("status", payload, { id: "delivery-1" });
    await app.ci.idle();
    // The same job reported again by new deliveries (CircleCI re-posts statuses).
    const created = bodies[0]!;
    nockListComments(repo, 17, [{ id: 9001, body: created }], 2);
    await app.send("status", payload, { id: "delivery-2" });
    await app.send("status", payload, { id: "delivery-3" });
    await app.ci.idle();

    expect(jobScope.isDone()).toBe(true);
    expect(outputScope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(nock.pendingMocks().filter((m) => m.includes("circleci"))).toEqual([]);
  });
});

describe("when the org has not connected CircleCI", () => {
  it("says which provider to connect and links to /setup, without calling CircleCI", async () => {
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION);
    nockPullsForCommit(repo, SHA, [{ number: 17 }]);
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);
    const circleci = nock(CIRCLECI).get(/.*/).reply(500);

    await app.send("status", statusPayload());
    await app.ci.idle();

    expect(circleci.isDone()).toBe(false);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("no CircleCI token is connected");
    expect(bodies[0]).toContain("(https://ci-mender.example.com/setup)");
  });
});

describe("URLs that are not exactly CircleCI's", () => {
  const hostile = [
    "https://circleci.com@evil.example/gh/acme/widgets/1042",
    "https://evil.example\\@circleci.com/gh/acme/widgets/1042",
    "https://circleci.com./gh/acme/widgets/1042",
    "https://circleci.com:8443/gh/acme/widgets/1042",
    "http://circleci.com/gh/acme/widgets/1042",
    "https://circleci.com.evil.example/gh/acme/widgets/1042",
    "https://xn--circlei-3jg.com/gh/acme/widgets/1042",
    "https://circleci.com/gh/acme/widgets%2F..%2Fsecret/1042",
    "https://circleci.com/gh/acme/widgets/../../api/v2/me",
    "https://user:pass@circleci.com/gh/acme/widgets/1042",
  ];

  it.each(hostile)("%s reads no token and sends no request to any CI host", async (url) => {
    await connectCircleci();
    const get = vi.spyOn(app.tokens, "get");
    const anyCi = nock(/circleci|evil|xn--/).get(/.*/).reply(200, {});
    nockInstallationToken(INSTALLATION);
    nockPullsForCommit(repo, SHA, [{ number: 17 }]);

    await app.send("status", statusPayload({ target_url: url }));
    await app.ci.idle();

    expect(get).not.toHaveBeenCalled();
    expect(anyCi.isDone()).toBe(false);
  });
});

describe("a build that is not of this repository or commit", () => {
  it("reads no log and says so", async () => {
    await connectCircleci();
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION);
    nockPullsForCommit(repo, SHA, [{ number: 17 }]);
    nockJobDetails((job) => {
      job.vcs_url = "https://github.com/acme/secret-plans";
      job.reponame = "secret-plans";
    });
    const output = nockStepOutput();
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);

    await app.send("status", statusPayload());
    await app.ci.idle();

    expect(output.isDone()).toBe(false);
    expect(bodies[0]).toContain("builds github.com/acme/secret-plans, not acme/widgets");
    expect(bodies[0]).not.toContain("expected 1 to be");
  });
});

describe("answers ci-mender cannot use", () => {
  it("names a job whose log sits on an unknown host, fetching nothing from it, and still comments", async () => {
    await connectCircleci();
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION);
    nockPullsForCommit(repo, SHA, [{ number: 17 }]);
    nockJobDetails((job) => {
      const steps = job.steps as Array<{ actions: Array<{ output_url: string }> }>;
      steps[3]!.actions[0]!.output_url = "https://attacker.example/steal?X-Amz-Signature=1";
    });
    const attacker = nock("https://attacker.example").get(/.*/).reply(200, "[]");
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);

    await app.send("status", statusPayload());
    await app.ci.idle();

    expect(attacker.isDone()).toBe(false);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("The log could not be read");
    expect(bodies[0]).toContain("not a known log storage host");
  });

  it("says so when CircleCI answers in a shape it does not document, instead of giving up silently", async () => {
    await connectCircleci();
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION);
    nockPullsForCommit(repo, SHA, [{ number: 17 }]);
    nock(CIRCLECI).get("/api/v1.1/project/github/acme/widgets/1042").reply(200, { build_num: "not a number" });
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);

    await app.send("status", statusPayload());
    await app.ci.idle();

    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("unexpected shape");
  });
});

describe("when the token store is unavailable", () => {
  it("retries the work instead of treating the token as missing", async () => {
    await connectCircleci();
    const real = app.tokens.get.bind(app.tokens);
    vi.spyOn(app.tokens, "get").mockRejectedValueOnce(new StoreUnavailable("the token store could not be reached")).mockImplementation(real);
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION, 2);
    nockPullsForCommit(repo, SHA, [{ number: 17 }], 2);
    nockJobDetails();
    nockStepOutput();
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);

    await app.send("status", statusPayload());
    await app.ci.idle();

    expect(bodies).toHaveLength(1);
    expect(bodies[0]).not.toContain("no CircleCI token is connected");
    expect(bodies[0]).toContain("expected 11 to be 10");
  });
});

describe("when the failing checks pass on the PR's head", () => {
  it("edits the comment to say it is resolved", async () => {
    const green = fixtureJson("webhooks/status.success.circleci.json");
    const greenSha = green.sha as string;
    const previous = `${renderMarker({ state: "failing", sha: SHA, contexts: ["ci/circleci: test"] })}\n## ❌ 1 failed job`;
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION);
    nockPullsForCommit(repo, greenSha, [{ number: 17 }]);
    nockListComments(repo, 17, [{ id: 555, body: previous }]);
    nock(GITHUB_API)
      .get(`/repos/acme/widgets/commits/${greenSha}/statuses`)
      .query(true)
      .reply(200, [{ context: "ci/circleci: test", state: "success" }, { context: "ci/circleci: test", state: "failure" }])
      .get(`/repos/acme/widgets/commits/${greenSha}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] });
    nockUpdateComment(repo, 555, bodies);

    await app.send("status", green);
    await app.ci.idle();

    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("✅ Resolved");
    expect(bodies[0]).toContain(greenSha.slice(0, 7));
  });
});

describe("when the app is uninstalled", () => {
  it("deletes that account's tokens, and only that account's, with an audit line", async () => {
    await connectCircleci();
    await app.tokens.set(ACCOUNT, "buildkite", { token: "bkua_" + "a".repeat(40), verifiedAt: null, scopes: null, updatedBy: null });
    await app.tokens.set(999, "circleci", { token: "CCIPAT_other", verifiedAt: null, scopes: null, updatedBy: null });
    const payload = {
      action: "deleted",
      installation: { id: INSTALLATION, account: { login: "acme", id: ACCOUNT, type: "Organization" }, app_id: 424242 },
      sender: { login: "octocat", id: 1, type: "User" },
    };
    const response = await app.send("installation", payload);
    expect(response.status).toBe(200);
    expect(await app.tokens.list(ACCOUNT)).toEqual([]);
    expect((await app.tokens.list(999)).map((t) => t.provider)).toEqual(["circleci"]);
    const audits = app.logLines.filter((line) => line.includes('"audit":"token-deleted"'));
    expect(audits).toHaveLength(2);
    for (const line of audits) expect(line).not.toContain(CIRCLECI_TOKEN);
  });
});

describe("hostile payloads", () => {
  it("answers every signed, mangled status or check run without a 5xx, and sends nothing to a CI host", async () => {
    await connectCircleci();
    const ci = nock(/circleci|evil|buildkite|bitrise/).get(/.*/).reply(200, {}).persist();
    // GitHub may be asked for PRs when a mangled payload still reads as a failure: no PR means no further work.
    nock(GITHUB_API).persist().post(/access_tokens$/).reply(201, { token: INSTALLATION_TOKEN, expires_at: "2099-01-01T00:00:00Z" });
    nock(GITHUB_API).persist().get(/\/pulls/).query(true).reply(200, []);
    const junk = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 50 }), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
    const fields = ["sha", "state", "context", "target_url", "repository", "installation", "name", "id", "commit"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), junk, fc.constantFrom("status", "check_run"), async (field, value, name) => {
        const base = name === "status" ? statusPayload() : fixtureJson("webhooks/check_run.completed.circleci-checks.json");
        const target = name === "status" ? (base as Record<string, unknown>) : ((base as { check_run: Record<string, unknown> }).check_run);
        // With no PR named and none found, even a payload that survives the mangling leads to no CI request.
        if (name === "check_run") target.pull_requests = [];
        target[field] = value;
        const response = await app.send(name, base);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
    await app.ci.idle();
    expect(ci.isDone()).toBe(false);
    const ping = await fetch(`${app.url}/ping`);
    expect(ping.status).toBe(200);
    nock.cleanAll();
  });
});

describe("webhook signatures", () => {
  it("rejects a delivery with a wrong signature and does no work", async () => {
    const github = nock(GITHUB_API).post(/.*/).reply(201, {});
    const response = await app.send("status", statusPayload(), { signature: "sha256=" + "0".repeat(64) });
    expect(response.status).toBe(400);
    await app.ci.idle();
    expect(github.isDone()).toBe(false);
  });
});

describe("where the CircleCI token goes", () => {
  it("is sent only to the CircleCI API and never appears in a log line, even at debug level", async () => {
    await connectCircleci();
    const seen: SeenRequest[] = [];
    const bodies: string[] = [];
    recordRequests(nockInstallationToken(INSTALLATION), seen);
    recordRequests(nockPullsForCommit(repo, SHA, [{ number: 17 }]), seen);
    recordRequests(nockJobDetails(), seen);
    recordRequests(nockStepOutput(), seen);
    recordRequests(nockListComments(repo, 17, []), seen);
    recordRequests(nockCreateComment(repo, 17, bodies), seen);

    await app.send("status", statusPayload());
    await app.ci.idle();

    expect(seen.length).toBe(6);
    for (const request of seen) {
      const carriesToken = JSON.stringify(request.headers).includes(CIRCLECI_TOKEN) || request.body.includes(CIRCLECI_TOKEN);
      expect({ origin: request.origin, carriesToken }).toEqual({ origin: request.origin, carriesToken: request.origin === CIRCLECI });
    }
    const storage = seen.find((r) => r.origin === CIRCLECI_STORAGE)!;
    expect(Object.keys(storage.headers).map((h) => h.toLowerCase())).not.toContain("circle-token");
    expect(app.logLines.length).toBeGreaterThan(5);
    expect(app.logLines.some((line) => /"level":20/.test(line))).toBe(true);
    for (const line of app.logLines) {
      expect(line).not.toContain(CIRCLECI_TOKEN);
      expect(line).not.toContain(INSTALLATION_TOKEN);
    }
    expect(bodies.join("")).not.toContain(CIRCLECI_TOKEN);
  });
});
