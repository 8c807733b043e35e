import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nockRepoConfig, startApp, type Harness } from "./helpers/app-harness.ts";
import { HEAD_FILES, nockFailedJob, nockHeadFiles, nockPrFiles, nockReview, PR, type PostedReview, SHA } from "./helpers/fix-scenario.ts";
import { fixtureJson } from "./helpers/fixtures.ts";
import { nockCreateComment, nockInstallationToken, nockListComments } from "./helpers/github-nock.ts";
import * as actions from "./providers/github-actions/nock.ts";

const repo = { owner: "acme", name: "widgets" };
const INSTALLATION = 5550001;

let app: Harness;

beforeEach(async () => {
  app = await startApp();
});

afterEach(async () => {
  await app.close();
});

describe("a formatter check failing on a same-repository PR", () => {
  it("gets suggested changes on the right lines, and the comment carries the hunk outside the PR's diff as a patch", async () => {
    const reviews: PostedReview[] = [];
    const bodies: string[] = [];
    const scopes = [
      nockInstallationToken(INSTALLATION, 1, actions.INSTALLATION_TOKEN),
      ...nockFailedJob(),
      nockHeadFiles(HEAD_FILES),
      nockPrFiles(),
      ...nockReview(reviews),
      nockListComments(repo, PR, []),
      nockCreateComment(repo, PR, bodies),
    ];
    await app.send("check_run", fixtureJson("providers/github-actions/webhook-check-run.json"));
    await app.ci.idle();

    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(reviews).toHaveLength(1);
    const review = reviews[0]!;
    expect(review.commit_id).toBe(SHA);
    expect(review.event).toBe("COMMENT");
    const anchors = review.comments.map((c) => ({ path: c.path, start: c.start_line ?? c.line, line: c.line, side: c.side }));
    expect(anchors).toEqual([
      { path: "src/main.rs", start: 5, line: 5, side: "RIGHT" },
      { path: "fmt/style.py", start: 1, line: 3, side: "RIGHT" },
      { path: "fmt/style.py", start: 6, line: 7, side: "RIGHT" },
    ]);
    expect(review.comments[0]!.body).toContain("```suggestion\nfn main() {\n```");
    expect(review.comments[1]!.body).toContain('```suggestion\ndef f(a, b):\n    return {"a": a, "b": b}\n```');
    expect(review.comments[2]!.body).toContain("```suggestion\nx = f(1, 2)\n```");

    expect(bodies).toHaveLength(1);
    const body = bodies[0]!;
    expect(body).toContain("### 🔧 Fixes");
    expect(body).toContain("**Suggested changes** in this PR's review: 3");
    // calc/calc.go is not part of the PR: its fix is a patch to apply, not a suggestion.
    expect(body).toContain("git apply ci-mender.patch");
    expect(body).toContain("diff --git a/calc/calc.go b/calc/calc.go\n--- a/calc/calc.go\n+++ b/calc/calc.go\n@@ -3,7 +3,7 @@");
  });
});

describe("the repository's .github/ci-mender.yml", () => {
  it("with fixes: off, reads no file and posts no review: the comment alone", async () => {
    nockRepoConfig(repo, "fixes: off\n");
    const bodies: string[] = [];
    const scopes = [nockInstallationToken(INSTALLATION, 1, actions.INSTALLATION_TOKEN), ...nockFailedJob(), nockListComments(repo, PR, []), nockCreateComment(repo, PR, bodies)];
    await app.send("check_run", fixtureJson("providers/github-actions/webhook-check-run.json"));
    await app.ci.idle();
    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).not.toContain("🔧 Fixes");
    expect(bodies[0]).toContain("src/main.rs is not formatted");
  });

  it("when invalid, gets one clear notice in the comment and the defaults apply", async () => {
    nockRepoConfig(repo, "fixes: sometimes\n");
    const reviews: PostedReview[] = [];
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION, 1, actions.INSTALLATION_TOKEN);
    nockFailedJob();
    nockHeadFiles(HEAD_FILES);
    nockPrFiles();
    nockReview(reviews);
    nockListComments(repo, PR, []);
    nockCreateComment(repo, PR, bodies);
    await app.send("check_run", fixtureJson("providers/github-actions/webhook-check-run.json"));
    await app.ci.idle();
    expect(reviews).toHaveLength(1);
    expect(bodies).toHaveLength(1);
    const notices = bodies[0]!.split("\n").filter((line) => line.includes("ci-mender.yml is invalid"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/fixes: Invalid option: expected one of .*suggest.*; the defaults apply/);
  });

  it("ignores the checks it names: no log is read and, by default, nothing is posted", async () => {
    nockRepoConfig(repo, "ignore_checks: ['test (*)']\n");
    const token = nockInstallationToken(INSTALLATION, 1, actions.INSTALLATION_TOKEN);
    const [job] = nockFailedJob();
    const comments = nockListComments(repo, PR, []);
    await app.send("check_run", fixtureJson("providers/github-actions/webhook-check-run.json"));
    await app.ci.idle();
    expect(token.isDone()).toBe(true);
    expect(job!.isDone()).toBe(false);
    expect(comments.isDone()).toBe(false);
  });

  it("names the ignored failing checks when asked to comment anyway", async () => {
    nockRepoConfig(repo, "ignore_checks: ['test (*)']\ncomment_when_only_ignored: true\n");
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION, 1, actions.INSTALLATION_TOKEN);
    nockListComments(repo, PR, []);
    nockCreateComment(repo, PR, bodies);
    await app.send("check_run", fixtureJson("providers/github-actions/webhook-check-run.json"));
    await app.ci.idle();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain("Only checks this repository ignores failed");
    expect(bodies[0]).toContain("`test (20.x)`");
  });

  it("shows at most max_failures failures per job and counts the rest", async () => {
    nockRepoConfig(repo, "max_failures: 1\nfixes: off\n");
    const bodies: string[] = [];
    nockInstallationToken(INSTALLATION, 1, actions.INSTALLATION_TOKEN);
    nockFailedJob();
    nockListComments(repo, PR, []);
    nockCreateComment(repo, PR, bodies);
    await app.send("check_run", fixtureJson("providers/github-actions/webhook-check-run.json"));
    await app.ci.idle();
    expect(bodies[0]).toContain("src/main.rs is not formatted");
    expect(bodies[0]).not.toContain("calc/calc.go is not formatted");
    expect(bodies[0]).toContain("2 more failures in this job, not shown.");
  });
});
