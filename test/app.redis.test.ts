import { Redis } from "ioredis";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApp, type Harness } from "./helpers/app-harness.ts";
import { CIRCLECI_TOKEN, nockJobDetails, nockStepOutput } from "./helpers/circleci-nock.ts";
import { fixtureJson } from "./helpers/fixtures.ts";
import { nockCreateComment, nockInstallationToken, nockListComments, nockPullsForCommit } from "./helpers/github-nock.ts";
import { startRedisServer, type RedisServer } from "./helpers/redis-server.ts";

const repo = { owner: "acme", name: "widgets" };
const SHA = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
const ACCOUNT = 81234567;
const INSTALLATION = 55501234;
const KEY = Buffer.alloc(32, 3).toString("base64");

let redis: RedisServer;
let replicas: Harness[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  for (const app of replicas) await app.close();
  replicas = [];
  const admin = new Redis(redis.url);
  await admin.flushall();
  admin.disconnect();
});

/** Two replicas of the app in this process, sharing one Redis (each with its own data directory). */
async function twoReplicas(): Promise<[Harness, Harness]> {
  const env = { REDIS_URL: redis.url, CI_MENDER_ENCRYPTION_KEY: KEY, CI_MENDER_SETTLE_MS: "50" };
  replicas = [await startApp(env), await startApp(env)];
  return replicas as [Harness, Harness];
}

function statusPayload() {
  return fixtureJson("webhooks/status.failure.circleci.json");
}

async function idle(apps: Harness[]): Promise<void> {
  for (const app of apps) await app.ci.idle();
}

async function until(step: () => Promise<unknown>): Promise<void> {
  for (let i = 0; ; i += 1) {
    try {
      await step();
      return;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("replicas on one Redis", () => {
  it("does nothing for a redelivery to the other replica, and uses the token connected on the first", async () => {
    const [a, b] = await twoReplicas();
    await a.tokens.set(ACCOUNT, "circleci", { token: CIRCLECI_TOKEN, verifiedAt: null, scopes: null, updatedBy: "octocat" });
    const bodies: string[] = [];
    const jobScope = nockJobDetails();
    const outputScope = nockStepOutput();
    nockInstallationToken(INSTALLATION, 2);
    nockPullsForCommit(repo, SHA, [{ number: 17 }], 2);
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);

    expect((await a.send("status", statusPayload(), { id: "delivery-1" })).status).toBe(200);
    expect((await b.send("status", statusPayload(), { id: "delivery-1" })).status).toBe(200);
    await idle([a, b]);

    expect(jobScope.isDone()).toBe(true);
    expect(outputScope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("expected 11 to be 10");
    expect(b.logLines.some((line) => line.includes('"level":20') && line.includes("duplicate delivery"))).toBe(true);
  });

  it("answers 503 while Redis is down, and does the work once GitHub redelivers after it is back", async () => {
    const [a] = await twoReplicas();
    await a.tokens.set(ACCOUNT, "circleci", { token: CIRCLECI_TOKEN, verifiedAt: null, scopes: null, updatedBy: "octocat" });
    await redis.stop();
    const refused = await a.send("status", statusPayload(), { id: "delivery-1" });
    expect(refused.status).toBe(503);
    await redis.start();
    // The restarted Redis is empty (no persistence here): the token is connected again, as an operator would,
    // once the app's client has reconnected.
    await until(() => a.tokens.set(ACCOUNT, "circleci", { token: CIRCLECI_TOKEN, verifiedAt: null, scopes: null, updatedBy: "octocat" }));
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION);
    nockPullsForCommit(repo, SHA, [{ number: 17 }]);
    nockJobDetails();
    nockStepOutput();
    nockListComments(repo, 17, []);
    nockCreateComment(repo, 17, bodies);
    expect((await a.send("status", statusPayload(), { id: "delivery-1" })).status).toBe(200);
    await idle([a]);
    expect(bodies).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  }, 30_000);
});
