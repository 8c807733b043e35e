import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalise } from "../../src/events/normalise.ts";
import { fixtureJson } from "../helpers/fixtures.ts";

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const OWN_APP_ID = 987654;
const DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

const circleciCheckRun = () => fixtureJson<Payload>("webhooks/check_run.completed.circleci-checks.json");
const actionsCheckRun = () => fixtureJson<Payload>("webhooks/check_run.completed.github-actions.json");
const circleciStatusFailure = () => fixtureJson<Payload>("webhooks/status.failure.circleci.json");
const circleciStatusSuccess = () => fixtureJson<Payload>("webhooks/status.success.circleci.json");
const circleciStatusPending = () => fixtureJson<Payload>("webhooks/status.pending.circleci.json");
const buildkiteStatusError = () => fixtureJson<Payload>("webhooks/status.error.buildkite.json");

const ACME_REPO = { id: 712345678, owner: "acme", name: "widgets", fullName: "acme/widgets", private: false };

describe("normalise check_run", () => {
  it("turns a failed CircleCI check run into a failure event with every field", () => {
    const payload = circleciCheckRun();
    expect(normalise("check_run", DELIVERY, payload, OWN_APP_ID)).toEqual({
      kind: "failure",
      event: {
        deliveryId: DELIVERY,
        source: "check_run",
        installationId: 55501234,
        accountId: 81234567,
        repo: ACME_REPO,
        sha: "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a",
        url: "https://app.circleci.com/pipelines/github/acme/widgets/733/workflows/5d0c9a5e-0b1c-4a6f-9a0e-2f7d8c1b3e4a",
        context: "build-and-test",
        appSlug: "circleci-checks",
        externalId: payload.check_run.external_id,
        checkRunId: 29876543210,
        conclusion: "failure",
        pullRequests: [{ number: 17, headSha: "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a" }],
      },
    });
  });

  it("keeps only the listed PRs whose head is this commit, and drops a malformed list without ignoring the check", () => {
    const payload = circleciCheckRun();
    const pr = payload.check_run.pull_requests[0];
    payload.check_run.pull_requests = [pr, { ...pr, number: 18, head: { ...pr.head, sha: "0".repeat(40) } }];
    const kept = normalise("check_run", DELIVERY, payload, OWN_APP_ID);
    expect(kept.kind === "failure" && kept.event.pullRequests.map((p) => p.number)).toEqual([17]);
    payload.check_run.pull_requests = [{ number: "seventeen" }];
    const dropped = normalise("check_run", DELIVERY, payload, OWN_APP_ID);
    expect(dropped.kind === "failure" && dropped.event.pullRequests).toEqual([]);
  });

  it("turns a timed-out GitHub Actions job into a failure event carrying its job id", () => {
    expect(normalise("check_run", DELIVERY, actionsCheckRun(), OWN_APP_ID)).toEqual({
      kind: "failure",
      event: expect.objectContaining({
        source: "check_run",
        conclusion: "timed_out",
        appSlug: "github-actions",
        checkRunId: 31234567890,
        context: "test (ubuntu-latest, 22)",
        url: "https://github.com/acme/widgets/actions/runs/12087654321/job/31234567890",
        externalId: "a3c1f6e2-8d4b-5f7a-9e0c-1b2d3e4f5a6b",
        sha: "c0ffee1234567890abcdef1234567890abcdef12",
      }),
    });
  });

  it.each(["failure", "timed_out", "startup_failure"])("treats conclusion %s as a failure", (conclusion) => {
    const payload = circleciCheckRun();
    payload.check_run.conclusion = conclusion;
    const result = normalise("check_run", DELIVERY, payload, OWN_APP_ID);
    expect(result.kind).toBe("failure");
    expect(result.kind === "failure" && result.event.conclusion).toBe(conclusion);
  });

  it("turns a successful check run into a success event for the same commit and check", () => {
    const payload = circleciCheckRun();
    payload.check_run.conclusion = "success";
    expect(normalise("check_run", DELIVERY, payload, OWN_APP_ID)).toEqual({
      kind: "success",
      event: {
        deliveryId: DELIVERY,
        installationId: 55501234,
        accountId: 81234567,
        repo: ACME_REPO,
        sha: "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a",
        context: "build-and-test",
        appSlug: "circleci-checks",
        pullRequests: [{ number: 17, headSha: "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a" }],
      },
    });
  });

  it.each(["neutral", "cancelled", "skipped", "stale", "action_required", null, "something_new"])(
    "ignores conclusion %s",
    (conclusion) => {
      const payload = circleciCheckRun();
      payload.check_run.conclusion = conclusion;
      expect(normalise("check_run", DELIVERY, payload, OWN_APP_ID).kind).toBe("ignored");
    },
  );

  it.each(["created", "rerequested", "requested_action"])("ignores action %s", (action) => {
    const payload = circleciCheckRun();
    payload.action = action;
    expect(normalise("check_run", DELIVERY, payload, OWN_APP_ID)).toEqual({
      kind: "ignored",
      reason: "not a completed check run with an installation",
    });
  });

  it("ignores check runs created by ci-mender itself, failed or not", () => {
    for (const conclusion of ["failure", "success"]) {
      const payload = circleciCheckRun();
      payload.check_run.app.id = OWN_APP_ID;
      payload.check_run.conclusion = conclusion;
      expect(normalise("check_run", DELIVERY, payload, OWN_APP_ID)).toEqual({ kind: "ignored", reason: "our own check run" });
    }
  });

  it("keeps other apps' check runs when its own app id is unknown", () => {
    expect(normalise("check_run", DELIVERY, circleciCheckRun(), null).kind).toBe("failure");
  });

  it("lower-cases the commit sha", () => {
    const payload = circleciCheckRun();
    payload.check_run.head_sha = payload.check_run.head_sha.toUpperCase();
    const result = normalise("check_run", DELIVERY, payload, OWN_APP_ID);
    expect(result.kind === "failure" && result.event.sha).toBe("8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a");
  });

  it("accepts a 64-character SHA-256 commit id", () => {
    const payload = circleciCheckRun();
    payload.check_run.head_sha = "9C56CC51B374C3BA189210D5B6D4BF57790D351C96C47C02190ECF1E430635AB";
    const result = normalise("check_run", DELIVERY, payload, OWN_APP_ID);
    expect(result.kind === "failure" && result.event.sha).toBe("9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab");
  });

  it("keys the event by the repository owner's numeric id, not the sender or the login", () => {
    const payload = circleciCheckRun();
    payload.repository.owner.id = 424242;
    payload.sender.id = 1;
    payload.organization.id = 2;
    const result = normalise("check_run", DELIVERY, payload, OWN_APP_ID);
    expect(result.kind === "failure" && result.event.accountId).toBe(424242);
  });

  it("keeps the url, slug and external id null when GitHub leaves them out", () => {
    const payload = circleciCheckRun();
    delete payload.check_run.details_url;
    payload.check_run.external_id = null;
    payload.check_run.app = null;
    const result = normalise("check_run", DELIVERY, payload, OWN_APP_ID);
    expect(result.kind).toBe("failure");
    expect(result.kind === "failure" && result.event).toMatchObject({ url: null, externalId: null, appSlug: null });
  });

  it("marks a private repository as private", () => {
    const payload = circleciCheckRun();
    payload.repository.private = true;
    const result = normalise("check_run", DELIVERY, payload, OWN_APP_ID);
    expect(result.kind === "failure" && result.event.repo.private).toBe(true);
  });
});

describe("normalise status", () => {
  it("turns a failed CircleCI status into a failure event with every field", () => {
    expect(normalise("status", DELIVERY, circleciStatusFailure(), OWN_APP_ID)).toEqual({
      kind: "failure",
      event: {
        deliveryId: DELIVERY,
        source: "status",
        installationId: 55501234,
        accountId: 81234567,
        repo: ACME_REPO,
        sha: "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a",
        url: "https://circleci.com/gh/acme/widgets/1042?utm_campaign=vcs-integration-link&utm_medium=referral&utm_source=github-build-link",
        context: "ci/circleci: test",
        appSlug: null,
        externalId: null,
        checkRunId: null,
        conclusion: "failure",
        pullRequests: [],
      },
    });
  });

  it("turns a Buildkite status in state error into a failure event", () => {
    const result = normalise("status", DELIVERY, buildkiteStatusError(), OWN_APP_ID);
    expect(result).toEqual({
      kind: "failure",
      event: expect.objectContaining({
        conclusion: "error",
        context: "buildkite/widgets-pipeline",
        url: "https://buildkite.com/acme/widgets-pipeline/builds/2231",
      }),
    });
  });

  it("turns a successful status into a success event", () => {
    expect(normalise("status", DELIVERY, circleciStatusSuccess(), OWN_APP_ID)).toEqual({
      kind: "success",
      event: {
        deliveryId: DELIVERY,
        installationId: 55501234,
        accountId: 81234567,
        repo: ACME_REPO,
        sha: "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00",
        context: "ci/circleci: test",
        appSlug: null,
        pullRequests: [],
      },
    });
  });

  it("ignores a pending status", () => {
    expect(normalise("status", DELIVERY, circleciStatusPending(), OWN_APP_ID)).toEqual({ kind: "ignored", reason: "pending status" });
  });

  it("keeps a status without a target URL, with url null", () => {
    const payload = circleciStatusFailure();
    payload.target_url = null;
    const result = normalise("status", DELIVERY, payload, OWN_APP_ID);
    expect(result.kind === "failure" && result.event.url).toBeNull();
  });

  it("lower-cases the commit sha and keys by the repository owner's id", () => {
    const payload = circleciStatusFailure();
    payload.sha = payload.sha.toUpperCase();
    payload.repository.owner.id = 31337;
    const result = normalise("status", DELIVERY, payload, OWN_APP_ID);
    expect(result.kind === "failure" && [result.event.sha, result.event.accountId]).toEqual(["8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a", 31337]);
  });

  it("ignores an unknown state", () => {
    const payload = circleciStatusFailure();
    payload.state = "cancelled";
    expect(normalise("status", DELIVERY, payload, OWN_APP_ID).kind).toBe("ignored");
  });
});

describe("normalise malformed and foreign deliveries", () => {
  it.each(["push", "pull_request", "check_suite", "workflow_run", "ping", ""])("ignores event %j", (name) => {
    expect(normalise(name, DELIVERY, circleciCheckRun(), OWN_APP_ID)).toEqual({ kind: "ignored", reason: `event ${name}` });
  });

  it("ignores a check run or status without an installation (a repository webhook, not the app)", () => {
    const run = circleciCheckRun();
    delete run.installation;
    const status = circleciStatusFailure();
    status.installation = null;
    expect(normalise("check_run", DELIVERY, run, OWN_APP_ID).kind).toBe("ignored");
    expect(normalise("status", DELIVERY, status, OWN_APP_ID).kind).toBe("ignored");
  });

  const breakages: Array<[string, (p: Payload) => void]> = [
    ["check_run is null", (p) => (p.check_run = null)],
    ["check_run is a string", (p) => (p.check_run = "failure")],
    ["repository is missing", (p) => delete p.repository],
    ["owner id is a string", (p) => (p.repository.owner.id = "81234567")],
    ["owner id is negative", (p) => (p.repository.owner.id = -1)],
    ["owner id is fractional", (p) => (p.repository.owner.id = 1.5)],
    ["owner is null", (p) => (p.repository.owner = null)],
    ["installation id is zero", (p) => (p.installation.id = 0)],
    ["installation id is a string", (p) => (p.installation.id = "55501234")],
    ["head_sha is not hex", (p) => (p.check_run.head_sha = "zzzz2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a")],
    ["head_sha is short", (p) => (p.check_run.head_sha = "8f3c2a1")],
    ["head_sha has a newline", (p) => (p.check_run.head_sha = `${p.check_run.head_sha}\n`)],
    ["head_sha is 41 characters", (p) => (p.check_run.head_sha = `${p.check_run.head_sha}0`)],
    ["name is a number", (p) => (p.check_run.name = 7)],
    ["name is huge", (p) => (p.check_run.name = "n".repeat(1_000_001))],
    ["details_url is huge", (p) => (p.check_run.details_url = `https://app.circleci.com/${"a".repeat(100_000)}`)],
    ["details_url is an object", (p) => (p.check_run.details_url = { href: "https://evil.example" })],
    ["repository name is empty", (p) => (p.repository.name = "")],
    ["full_name is huge", (p) => (p.repository.full_name = "a".repeat(10_000))],
    ["private is a string", (p) => (p.repository.private = "false")],
    ["check run id is a string", (p) => (p.check_run.id = "29876543210")],
    ["conclusion is a number", (p) => (p.check_run.conclusion = 1)],
    ["app id is a string", (p) => (p.check_run.app.id = "18001")],
  ];

  it.each(breakages)("ignores a check run when %s, without throwing", (_label, breakIt) => {
    const payload = circleciCheckRun();
    breakIt(payload);
    expect(normalise("check_run", DELIVERY, payload, OWN_APP_ID).kind).toBe("ignored");
  });

  it.each([
    ["sha is missing", (p: Payload) => delete p.sha],
    ["state is null", (p: Payload) => (p.state = null)],
    ["context is an array", (p: Payload) => (p.context = ["ci"])],
    ["context is huge", (p: Payload) => (p.context = "c".repeat(100_000))],
    ["target_url is a number", (p: Payload) => (p.target_url = 42)],
    ["repository owner id is missing", (p: Payload) => delete p.repository.owner.id],
  ])("ignores a status when %s, without throwing", (_label, breakIt) => {
    const payload = circleciStatusFailure();
    breakIt(payload);
    expect(normalise("status", DELIVERY, payload, OWN_APP_ID).kind).toBe("ignored");
  });

  it.each([null, undefined, 42, "check_run", [], {}, { action: "completed" }, Object.create(null)])(
    "ignores a payload of %j, without throwing",
    (payload) => {
      expect(normalise("check_run", DELIVERY, payload, OWN_APP_ID).kind).toBe("ignored");
      expect(normalise("status", DELIVERY, payload, OWN_APP_ID).kind).toBe("ignored");
    },
  );

  it("never throws, whatever JSON arrives (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom("check_run", "status"), fc.jsonValue(), (name, payload) => {
        expect(["ignored", "failure", "success"]).toContain(normalise(name, DELIVERY, payload, OWN_APP_ID).kind);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws when any one field of a real payload is replaced by junk (property)", () => {
    const paths = [
      ["action"],
      ["check_run"],
      ["check_run", "id"],
      ["check_run", "name"],
      ["check_run", "head_sha"],
      ["check_run", "conclusion"],
      ["check_run", "details_url"],
      ["check_run", "external_id"],
      ["check_run", "app"],
      ["check_run", "app", "id"],
      ["check_run", "app", "slug"],
      ["repository"],
      ["repository", "id"],
      ["repository", "owner"],
      ["repository", "owner", "id"],
      ["repository", "owner", "login"],
      ["installation"],
      ["installation", "id"],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, junk) => {
        const payload = circleciCheckRun();
        let target = payload;
        for (const key of path.slice(0, -1)) target = target[key];
        target[path.at(-1)!] = junk;
        const result = normalise("check_run", DELIVERY, payload, OWN_APP_ID);
        expect(["ignored", "failure", "success"]).toContain(result.kind);
        if (result.kind !== "ignored") {
          expect(result.event.sha).toMatch(/^[0-9a-f]{40}([0-9a-f]{24})?$/);
          expect(Number.isInteger(result.event.accountId) && result.event.accountId > 0).toBe(true);
          expect(Number.isInteger(result.event.installationId) && result.event.installationId > 0).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
