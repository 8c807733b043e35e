import { readFileSync } from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { startInProcessApp } from "./in-process-app.ts";
import { startCircleciStandIn, startGitHubStandIn, type StandIn } from "./stand-ins.ts";

const OWNER = "acme";
const REPO = "widgets";
const SHA = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
const PR = 17;
const ACCOUNT_ID = 81234567;
/** A made-up CircleCI personal token in the real format; the stand-in accepts only this one. */
export const DEMO_CIRCLECI_TOKEN = "CCIPAT_DemoDemoDemoDemoDemo12_0123456789abcdef0123456789abcdef01234567";

export interface ReplayResult {
  /** The comment as the GitHub stand-in stored it. */
  comment: string;
  /** From the webhook's 200 to the comment being stored, in ms. */
  latencyMs: number;
  github: StandIn["requests"];
  circleci: StandIn["requests"];
}

/**
 * A recorded CircleCI failure (a real vitest run's output, as CircleCI's API serves it) replayed end to end:
 * a signed `status` webhook into ci-mender, which reads the job from a loopback CircleCI and comments on a
 * loopback GitHub.
 */
export async function replayCircleciFailure(options: { logLevel?: string } = {}): Promise<ReplayResult> {
  const github = await startGitHubStandIn({ owner: OWNER, repo: REPO, sha: SHA, pr: PR });
  const circleci = await startCircleciStandIn(DEMO_CIRCLECI_TOKEN, github.origin);
  const app = await startInProcessApp({
    log: pino({ level: options.logLevel ?? "silent" }),
    githubApiUrl: `${github.origin}/api/v3`,
    env: {
      GHE_HOST: `127.0.0.1:${github.port}`,
      GHE_PROTOCOL: "http",
      CIRCLECI_API_URL: circleci.origin,
      CI_MENDER_LOG_HOSTS: "127.0.0.1",
      CI_MENDER_SETTLE_MS: "0",
    },
  });
  try {
    await app.tokens.set(ACCOUNT_ID, "circleci", { token: DEMO_CIRCLECI_TOKEN, verifiedAt: null, scopes: null, updatedBy: "demo" });
    const payload = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, "../fixtures/webhooks/status.failure.circleci.json"), "utf8"),
    ) as Record<string, unknown>;
    const started = performance.now();
    const response = await app.send("status", payload);
    if (response.status !== 200) throw new Error(`the webhook was answered with HTTP ${response.status}`);
    await app.ci.idle();
    const latencyMs = performance.now() - started;
    const comment = github.comments.get(PR)?.[0]?.body;
    if (!comment) throw new Error("no comment was posted");
    return { comment, latencyMs, github: github.requests, circleci: circleci.requests };
  } finally {
    await app.close();
    await github.close();
    await circleci.close();
  }
}
