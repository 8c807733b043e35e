import { randomBytes } from "node:crypto";
import { Keyv } from "keyv";
import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StoreUnavailable } from "../src/errors.ts";
import type { TokenProviderId } from "../src/providers/types.ts";
import { createLocalTokenStore } from "../src/secrets/local-token-store.ts";
import type { TokenStore } from "../src/secrets/token-store.ts";
import { startApp, type Harness } from "./helpers/app-harness.ts";
import { CIRCLECI, CIRCLECI_TOKEN, nockJobDetails, nockStepOutput } from "./helpers/circleci-nock.ts";
import { fixtureJson } from "./helpers/fixtures.ts";
import { nockCreateComment, nockInstallationToken, nockListComments, nockPullsForCommit } from "./helpers/github-nock.ts";
import { BUILDKITE_TOKEN } from "./providers/buildkite/nock.ts";

// The status fixture: acme/widgets (owner id 81234567) at 8f3c2a1, CircleCI job 1042, installation 55501234.
const repo = { owner: "acme", name: "widgets" };
const SHA = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
const ACCOUNT = 81234567;
const INSTALLATION = 55501234;

let app: Harness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const write = (token: string) => ({ token, verifiedAt: null, scopes: null, updatedBy: "octocat" });

describe("the secrets redacted from a log", () => {
  it("are never fewer because the store failed: the job is retried and another provider's token stays out of the comment", async () => {
    app = await startApp();
    await app.tokens.set(ACCOUNT, "circleci", write(CIRCLECI_TOKEN));
    await app.tokens.set(ACCOUNT, "buildkite", write(BUILDKITE_TOKEN));
    // The CircleCI log echoes the org's Buildkite token beside the failing assertion, base64-encoded (as a debug
    // dump of a Basic header would): no pattern knows that shape, only the exact value from the store can remove it.
    const encoded = Buffer.from(BUILDKITE_TOKEN).toString("base64");
    const leak = (document: string) => document.replace("expected 11 to be 10", `expected 11 to be 10 (${encoded})`);
    const real = app.tokens.get.bind(app.tokens);
    let failed = 0;
    vi.spyOn(app.tokens, "get").mockImplementation(async (account: number, provider: TokenProviderId) => {
      if (provider === "buildkite" && failed === 0) {
        failed += 1;
        throw new StoreUnavailable("the token store could not be reached");
      }
      return real(account, provider);
    });
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION, 2);
    nockPullsForCommit(repo, SHA, [{ number: 17 }], 2);
    nockJobDetails(() => {}, 2);
    nockStepOutput(2, leak);
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);

    await app.send("status", fixtureJson("webhooks/status.failure.circleci.json"));
    await app.ci.idle();

    expect(failed).toBe(1);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("expected 11 to be 10");
    expect(bodies[0]).not.toContain(encoded);
    expect(app.logLines.some((line) => line.includes("will retry") && line.includes("the token store could not be reached"))).toBe(true);
  });
});

describe("a stored token that cannot be decrypted", () => {
  it("is reported as unreadable, not as missing, and an owner is asked to connect it again at /setup", async () => {
    const keyv = new Keyv({ namespace: "tokens" });
    const key = () => randomBytes(32).toString("base64");
    // Sealed under one key; the app then starts with another, as after a lost or rotated CI_MENDER_ENCRYPTION_KEY.
    const before: TokenStore = createLocalTokenStore({ dataDir: "/nonexistent", encryptionKey: key(), keyv });
    await before.set(ACCOUNT, "circleci", write(CIRCLECI_TOKEN));
    app = await startApp({}, { tokens: createLocalTokenStore({ dataDir: "/nonexistent", encryptionKey: key(), keyv }) });
    const bodies: string[] = [];
    const circleci = nock(CIRCLECI).get(/.*/).reply(500);
    nockInstallationToken(INSTALLATION);
    nockPullsForCommit(repo, SHA, [{ number: 17 }]);
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);

    await app.send("status", fixtureJson("webhooks/status.failure.circleci.json"));
    await app.ci.idle();

    expect(circleci.isDone()).toBe(false);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).not.toContain("no CircleCI token is connected");
    expect(bodies[0]).toContain("the stored CircleCI token could not be read");
    expect(bodies[0]).toContain("connect it again at [https://ci-mender.example.com/setup](https://ci-mender.example.com/setup)");
  });
});
