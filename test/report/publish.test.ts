import { afterEach, describe, expect, it } from "vitest";
import { startApp, type Harness } from "../helpers/app-harness.ts";
import { CIRCLECI_TOKEN, nockJobDetails, nockStepOutput } from "../helpers/circleci-nock.ts";
import { fixtureJson } from "../helpers/fixtures.ts";
import { GitHubStandIn, type CreateAnswer } from "../helpers/github-stand-in.ts";

// The status fixture: acme/widgets (owner id 81234567) at 8f3c2a1, CircleCI job 1042; PR 17 has it as its head.
const ACCOUNT = 81234567;

let app: Harness | undefined;
let github: GitHubStandIn | undefined;
afterEach(async () => {
  await app?.close();
  await github?.close();
  app = undefined;
  github = undefined;
});

/** The real app, Octokit's retries on as in production, against a GitHub stand-in that keeps the comments. */
async function start(): Promise<{ app: Harness; github: GitHubStandIn }> {
  github = await new GitHubStandIn().start();
  app = await startApp({}, { githubApiUrl: github.apiUrl, githubRetries: true });
  await app.tokens.set(ACCOUNT, "circleci", { token: CIRCLECI_TOKEN, verifiedAt: null, scopes: null, updatedBy: "octocat" });
  return { app, github };
}

describe("creating the comment", () => {
  it.each<CreateAnswer>(["store-then-502", "store-then-drop"])(
    "after an ambiguous answer (%s) looks for the comment before creating it again: one comment",
    async (answer) => {
      const { app, github } = await start();
      github.createAnswers.push(answer);
      nockJobDetails();
      nockStepOutput();

      await app.send("status", fixtureJson("webhooks/status.failure.circleci.json"));
      await app.ci.idle();

      expect(github.comments.map((c) => c.issue)).toEqual([17]);
      expect(github.comments[0]!.body).toContain("expected 11 to be 10");
      const posts = github.requests.filter((r) => r === "POST /repos/acme/widgets/issues/17/comments");
      expect(posts).toHaveLength(1);
      // The marker comment was looked for after the ambiguous answer, not only before the first attempt.
      const lookups = github.requests.filter((r) => r === "GET /repos/acme/widgets/issues/17/comments");
      expect(lookups).toHaveLength(2);
      // Settled within the job: the whole job was not run again.
      expect(app.logLines.filter((line) => line.includes("will retry"))).toEqual([]);
    },
  );

  it("creates it once more when the lookup after a 502 finds nothing: still one comment", async () => {
    const { app, github } = await start();
    github.createAnswers.push("502-unstored");
    nockJobDetails();
    nockStepOutput();

    await app.send("status", fixtureJson("webhooks/status.failure.circleci.json"));
    await app.ci.idle();

    expect(github.comments.map((c) => c.issue)).toEqual([17]);
    expect(github.requests.filter((r) => r.endsWith("/issues/17/comments"))).toEqual([
      "GET /repos/acme/widgets/issues/17/comments",
      "POST /repos/acme/widgets/issues/17/comments",
      "GET /repos/acme/widgets/issues/17/comments",
      "POST /repos/acme/widgets/issues/17/comments",
    ]);
  });
});
