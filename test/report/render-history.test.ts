import { describe, expect, it } from "vitest";
import type { Failure } from "../../src/logs/types.ts";
import { renderFailureComment } from "../../src/report/render.ts";
import type { Classification, CommitReport, JobReport } from "../../src/report/types.ts";

const SHA = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
const options = { githubWebUrl: new URL("https://github.com"), baseUrl: new URL("https://ci-mender.example.com") };
const repo = { id: 1, owner: "acme", name: "widgets", fullName: "acme/widgets", private: false };

function failure(title: string): Failure {
  return { kind: "test", tool: "vitest", title, message: `AssertionError in ${title}`, excerpt: [], count: 1 };
}

function job(name: string, failures: Failure[], verdicts: Classification[]): JobReport {
  return {
    provider: "circleci",
    providerName: "CircleCI",
    context: `ci/circleci: ${name}`,
    job: { id: name, name, webUrl: `https://circleci.com/gh/acme/widgets/${name}`, status: "failed" },
    analysis: { failures, tail: [], lines: 10, bytes: 100 },
    history: { failures: verdicts, job: verdicts[0]! },
  };
}

const NEW: Classification = { verdict: "new", evidence: "passes on the merge base `5b4a392`" };
const BROKEN: Classification = {
  verdict: "broken-on-base",
  evidence: "also failing on `main` (the merge base `5b4a392`), not caused by this PR",
  link: { label: "failing run on 5b4a392", url: "https://circleci.com/gh/acme/widgets/1001" },
};
const FLAKY: Classification = { verdict: "flaky", evidence: "passed on re-run of the same commit" };

function render(jobs: JobReport[]): string {
  const report: CommitReport = { repo, sha: SHA, jobs, notices: [], failingContexts: jobs.map((j) => j.context) };
  return renderFailureComment(report, options);
}

describe("the comment with the base-branch comparison", () => {
  it("shows new failures first and open, then broken-on-base and flaky ones folded with their evidence", () => {
    const body = render([job("unit", [failure("a"), failure("b")], [BROKEN, NEW]), job("e2e", [failure("c")], [FLAKY])]);
    expect(body).toContain("Compared with the base branch: 1 new, 1 broken on the base branch, 1 flaky.");
    const open = body.indexOf("### ❌");
    const broken = body.indexOf("<details><summary>🧱 1 also failing on the base branch (not caused by this PR)</summary>");
    const flaky = body.indexOf("<details><summary>🔁 1 flaky</summary>");
    expect(open).toBeGreaterThan(0);
    expect(broken).toBeGreaterThan(open);
    expect(flaky).toBeGreaterThan(broken);
    expect(body.slice(open, broken)).toContain("**`b`**");
    expect(body.slice(open, broken)).not.toContain("**`a`**");
    expect(body).toContain("([failing run on 5b4a392](https://circleci.com/gh/acme/widgets/1001))");
  });

  it("says in its first line when every failure is broken on base or flaky", () => {
    const body = render([job("unit", [failure("a")], [BROKEN]), job("e2e", [failure("c")], [FLAKY])]);
    expect(body.split("\n\n")[1]).toBe("## ✅ No new failures on `8f3c2a1`: every failure is already failing on the base branch or flaky, not caused by this PR");
  });

  it("keeps the ordinary heading while any failure is new", () => {
    expect(render([job("unit", [failure("a")], [NEW])]).split("\n\n")[1]).toBe("## ❌ 1 failed job on `8f3c2a1`");
  });

  it("shows a branch name in the evidence as code only, where markup and mentions are inert", () => {
    const hostile: Classification = { ...BROKEN, evidence: "also failing on `<img src=x>@team` (the merge base `5b4a392`), not caused by this PR" };
    const body = render([job("unit", [failure("a")], [hostile])]);
    const mentions = [...body.matchAll(/(.)<img src=x>@team(.)/g)].map((m) => `${m[1]}${m[2]}`);
    expect(mentions).toEqual(["``"]);
  });
});
