import fc from "fast-check";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import type { Failure, LogAnalysis } from "../../src/logs/types.ts";
import { readMarker } from "../../src/report/marker.ts";
import { MAX_COMMENT_CHARS, type RenderOptions, renderFailureComment, renderResolvedComment } from "../../src/report/render.ts";
import type { CommitReport, JobReport, Notice } from "../../src/report/types.ts";

interface MdNode {
  type: string;
  value?: string;
  url?: string;
  children?: MdNode[];
}

function parse(markdown: string): MdNode {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as unknown as MdNode;
}

function nodesIn(tree: MdNode, type: string): MdNode[] {
  const found: MdNode[] = [];
  const visit = (node: MdNode) => {
    if (node.type === type) found.push(node);
    node.children?.forEach(visit);
  };
  visit(tree);
  return found;
}

function nodes(markdown: string, type: string): MdNode[] {
  return nodesIn(parse(markdown), type);
}

function textOf(node: MdNode): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value ?? "";
  return (node.children ?? []).map(textOf).join("");
}

const SHA = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
const GREEN_SHA = "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b";
const OPTIONS: RenderOptions = { githubWebUrl: new URL("https://github.com"), baseUrl: new URL("https://ci-mender.acme.dev") };
const REPO = { id: 712345678, owner: "acme", name: "widgets", fullName: "acme/widgets", private: false };

function failure(overrides: Partial<Failure> = {}): Failure {
  return {
    kind: "test",
    tool: "vitest",
    title: "totals > adds VAT to the net price",
    file: "src/totals.test.ts",
    line: 42,
    column: 17,
    message: "AssertionError: expected 119 to be 120",
    excerpt: [" FAIL  src/totals.test.ts > totals > adds VAT to the net price", "AssertionError: expected 119 to be 120", " ❯ src/totals.test.ts:42:17"],
    count: 1,
    ...overrides,
  };
}

function analysis(failures: Failure[], overrides: Partial<LogAnalysis> = {}): LogAnalysis {
  return { failures, tail: ["Process completed with exit code 1."], lines: 1_200, bytes: 84_000, ...overrides };
}

function job(id: string, failures: Failure[] | null, overrides: Partial<JobReport> = {}): JobReport {
  return {
    provider: "circleci",
    providerName: "CircleCI",
    context: "ci/circleci: test",
    job: { id, name: `test-${id}`, webUrl: `https://app.circleci.com/pipelines/gh/acme/widgets/733/workflows/w/jobs/${id}`, status: "failed" },
    analysis: failures ? analysis(failures) : null,
    ...overrides,
  };
}

function notice(overrides: Partial<Notice> = {}): Notice {
  return {
    kind: "missing-token",
    provider: "buildkite",
    providerName: "Buildkite",
    context: "buildkite/widgets-pipeline",
    message: "no token",
    ...overrides,
  };
}

function report(overrides: Partial<CommitReport> = {}): CommitReport {
  return { repo: REPO, sha: SHA, jobs: [], notices: [], failingContexts: ["ci/circleci: test"], ...overrides };
}

function blobUrl(path: string, line?: number): string {
  return `https://github.com/acme/widgets/blob/${SHA}/${path}${line ? `#L${line}` : ""}`;
}

describe("renderFailureComment basics", () => {
  it("starts with a marker that reads back as failing on the commit with its checks", () => {
    const body = renderFailureComment(report({ jobs: [job("1", [failure()])], failingContexts: ["ci/circleci: test", "lint"] }), OPTIONS);
    expect(body.split("\n")[0]).toMatch(/^<!-- ci-mender:v1 .* -->$/);
    expect(readMarker(body)).toEqual({ state: "failing", sha: SHA, contexts: ["ci/circleci: test", "lint"] });
  });

  it("names the number of failed jobs and the short sha in its heading", () => {
    const body = renderFailureComment(report({ jobs: [job("1", [failure()]), job("2", [failure({ title: "other" })])] }), OPTIONS);
    const heading = nodes(body, "heading")[0]!;
    expect(textOf(heading)).toBe("❌ 2 failed jobs on 8f3c2a1");
    expect(renderFailureComment(report({ jobs: [job("1", [failure()])] }), OPTIONS)).toContain("## ❌ 1 failed job on `8f3c2a1`");
  });

  it("says 'Failing checks' when only notices are known", () => {
    const body = renderFailureComment(report({ notices: [notice()] }), OPTIONS);
    expect(body).toContain("## ❌ Failing checks on `8f3c2a1`");
    expect(nodes(body, "table")).toHaveLength(0);
  });

  it("adds up test counts across jobs", () => {
    const jobs = [
      job("1", [failure()], { analysis: analysis([failure()], { tests: { failed: 2, passed: 40 } }) }),
      job("2", [failure()], { analysis: analysis([failure({ title: "b" })], { tests: { failed: 1, passed: 10, skipped: 3 } }) }),
      job("3", [failure({ kind: "compile", title: "TS2322" })]),
    ];
    expect(renderFailureComment(report({ jobs }), OPTIONS)).toContain("**3 tests failed**, 50 passed.");
  });

  it("lists each job in a table row linking to the job, its CI and a summary by kind", () => {
    const jobs = [
      job("1", [failure(), failure({ title: "second", count: 2 }), failure({ kind: "lint", tool: "eslint", title: "no-unused-vars" })]),
      job("2", null, { problem: "CircleCI answered 404 for the step output" }),
      job("3", [], { analysis: analysis([]) }),
    ];
    const table = nodes(renderFailureComment(report({ jobs }), OPTIONS), "table")[0]!;
    const rows = table.children!.slice(1).map((row) => row.children!.map(textOf));
    expect(rows).toEqual([
      ["test-1", "CircleCI", "3 failing tests, 1 lint error"],
      ["test-2", "CircleCI", "log not readable"],
      ["test-3", "CircleCI", "see the log excerpt"],
    ]);
    const firstRowLink = table.children![1]!.children![0]!.children!.find((n) => n.type === "link");
    expect(firstRowLink?.url).toBe(jobs[0]!.job.webUrl);
  });

  it("shows a failure with its title, kind, tool, count, message and excerpt", () => {
    const body = renderFailureComment(report({ jobs: [job("1", [failure({ count: 3, kind: "lint", tool: "eslint" })])] }), OPTIONS);
    expect(body).toContain("**`totals > adds VAT to the net price`** (×3) — lint error, eslint in ");
    expect(body).toContain("```text\nAssertionError: expected 119 to be 120\n```");
    expect(body).toContain("<details><summary>Log excerpt</summary>");
    expect(nodes(body, "code").map((n) => n.value)).toContain(failure().excerpt.join("\n"));
  });

  it("leaves out the message when it only repeats the title, and the tool when it is generic", () => {
    const body = renderFailureComment(
      report({ jobs: [job("1", [failure({ tool: "generic", kind: "error", title: "Exited with code 1", message: "Exited with code 1", excerpt: [] })])] }),
      OPTIONS,
    );
    expect(body).toContain("**`Exited with code 1`** — error in ");
    expect(body).not.toContain("```text\nExited with code 1\n```");
    expect(body).not.toContain("<details>");
  });

  it("shows a suggested patch in a diff block named after the tool", () => {
    const patch = "--- a/src/app.ts\n+++ b/src/app.ts\n@@ -1,1 +1,1 @@\n-const a = 1\n+const a = 1;";
    const body = renderFailureComment(report({ jobs: [job("1", [failure({ kind: "format", tool: "prettier", patch })])] }), OPTIONS);
    expect(body).toContain("<summary>Suggested change printed by prettier</summary>");
    expect(body).toContain(`\`\`\`diff\n${patch}\n\`\`\``);
  });

  it("shows the end of the log when no failure pattern matched, and says so when the log is empty", () => {
    const withTail = job("1", [], { analysis: analysis([], { tail: ["npm ERR! code ELIFECYCLE", "Exited with code exit status 1"] }) });
    const empty = job("2", [], { analysis: analysis([], { tail: [] }) });
    const body = renderFailureComment(report({ jobs: [withTail, empty] }), OPTIONS);
    expect(body).toContain("No known failure pattern matched; the end of the log:\n\n```text\nnpm ERR! code ELIFECYCLE\nExited with code exit status 1\n```");
    expect(body).toContain("The log is empty.");
  });

  it("says why a log could not be read", () => {
    const body = renderFailureComment(report({ jobs: [job("1", null, { problem: "the log URL on evil.example was not fetched" })] }), OPTIONS);
    expect(body).toContain("The log could not be read: the log URL on evil.example was not fetched");
  });

  it("says when only the first part of a very large log was read", () => {
    const body = renderFailureComment(report({ jobs: [job("1", [failure()], { truncatedAtBytes: 512 * 1024 * 1024 })] }), OPTIONS);
    expect(body).toContain("only its first 512 MB were read");
  });

  it("ends with a footer that names the commit", () => {
    const body = renderFailureComment(report({ jobs: [job("1", [failure()])] }), OPTIONS);
    expect(body.endsWith("<sub>ci-mender · `8f3c2a1` · this comment is updated in place as checks change</sub>")).toBe(true);
  });

  it("clips long messages, excerpts and lines", () => {
    const body = renderFailureComment(
      report({
        jobs: [
          job("1", [
            failure({
              message: Array.from({ length: 20 }, (_, i) => `message line ${i}`).join("\n"),
              excerpt: Array.from({ length: 100 }, (_, i) => `excerpt line ${i} ${"x".repeat(i === 0 ? 1_000 : 0)}`),
            }),
          ]),
        ],
      }),
      OPTIONS,
    );
    expect(body).toContain("message line 7\n… 12 more lines");
    expect(body).not.toContain("message line 8");
    expect(body).toContain("excerpt line 29 \n… 70 more lines");
    expect(body).toContain(`excerpt line 0 ${"x".repeat(400 - "excerpt line 0 ".length)}…`);
    expect(body).not.toContain("x".repeat(401));
  });
});

describe("renderFailureComment file links", () => {
  function linkFor(file: string, line?: number, options: RenderOptions = OPTIONS): { text: string; url: string | null } {
    const body = renderFailureComment(report({ jobs: [job("1", [failure({ file, line, column: undefined })])] }), options);
    const title = nodes(body, "paragraph").find((p) => textOf(p).startsWith("totals > adds VAT"))!;
    const fileLink = title.children!.find((n) => n.type === "link" && n.url?.includes("/blob/"));
    const code = title.children!.filter((n) => n.type === "inlineCode").at(-1)!;
    return { text: fileLink ? textOf(fileLink) : code.value!, url: fileLink?.url ?? null };
  }

  it("links a plain relative path to the file at the commit, at the line", () => {
    expect(linkFor("src/totals.test.ts", 42)).toEqual({ text: "src/totals.test.ts:42", url: blobUrl("src/totals.test.ts", 42) });
  });

  it("shows line and column, and links to the line", () => {
    const body = renderFailureComment(report({ jobs: [job("1", [failure()])] }), OPTIONS);
    expect(body).toContain(`in [\`src/totals.test.ts:42:17\`](${blobUrl("src/totals.test.ts", 42)})`);
  });

  it("links a file without a line to the file", () => {
    expect(linkFor("pkg/api/handler.go")).toEqual({ text: "pkg/api/handler.go", url: blobUrl("pkg/api/handler.go") });
  });

  it("drops a leading ./ from the link", () => {
    expect(linkFor("./src/app.ts", 3).url).toBe(blobUrl("src/app.ts", 3));
  });

  it("accepts scoped package paths and dotted names", () => {
    expect(linkFor("packages/@acme/ui/src/button.test.tsx", 8).url).toBe(blobUrl("packages/%40acme/ui/src/button.test.tsx", 8));
    expect(linkFor(".github/workflows/ci.yml", 1).url).toBe(blobUrl(".github/workflows/ci.yml", 1));
  });

  it.each([
    ["a parent directory", "../../etc/passwd"],
    ["a parent directory in the middle", "src/../../secrets.txt"],
    ["an absolute path", "/home/runner/work/widgets/widgets/src/app.ts"],
    ["a Windows path", "C:\\a\\src\\app.ts"],
    ["a space", "src/my file.ts"],
    ["a percent sign", "src/%2e%2e/x.ts"],
    ["a query", "src/app.ts?raw=1"],
    ["a fragment", "src/app.ts#L1"],
    ["a markdown link", "[x](https://evil.example)"],
    ["a URL", "https://evil.example/x.ts"],
    ["a backtick", "src/a`b.ts"],
    ["a non-ASCII name", "src/tëst.ts"],
  ])("shows a path with %s as code, without a link", (_label, file) => {
    const body = renderFailureComment(report({ jobs: [job("1", [failure({ file, line: 7 })])] }), OPTIONS);
    expect(body).not.toContain("/blob/");
    const spans = nodes(body, "inlineCode").map((n) => n.value);
    expect(spans).toContain(`${file.replace(/\s+/g, " ")}:7:17`);
  });

  it("links to the GitHub Enterprise host it is given", () => {
    const ghe: RenderOptions = { ...OPTIONS, githubWebUrl: new URL("https://github.acme.internal") };
    expect(linkFor("src/app.ts", 5, ghe).url).toBe(`https://github.acme.internal/acme/widgets/blob/${SHA}/src/app.ts#L5`);
  });

  it("does not link when no GitHub web URL is known (the CLI)", () => {
    expect(linkFor("src/app.ts", 5, { ...OPTIONS, githubWebUrl: null })).toEqual({ text: "src/app.ts:5", url: null });
  });

  it("shows no file part when the failure has no file", () => {
    const body = renderFailureComment(report({ jobs: [job("1", [failure({ file: undefined, line: undefined })])] }), OPTIONS);
    expect(body).toContain("**`totals > adds VAT to the net price`** — failing test, vitest\n");
  });
});

describe("renderFailureComment repeated failures", () => {
  it("shows a failure seen in an earlier job once, and points back to that job", () => {
    const same = failure();
    const jobs = [job("1", [same]), job("2", [{ ...same }]), job("3", [{ ...same }])];
    const body = renderFailureComment(report({ jobs }), OPTIONS);

    expect(body.split("AssertionError: expected 119 to be 120\n```").length - 1).toBe(1);
    const backRefs = body.split("\n").filter((line) => line.includes("the same failure as in"));
    expect(backRefs).toHaveLength(2);
    for (const line of backRefs) expect(line).toContain(`[test-1](${jobs[0]!.job.webUrl})`);
  });

  it("does not merge failures that differ in line, message or kind", () => {
    const jobs = [job("1", [failure()]), job("2", [failure({ line: 43 })]), job("3", [failure({ message: "expected 1 to be 2" })]), job("4", [failure({ kind: "crash" })])];
    expect(renderFailureComment(report({ jobs }), OPTIONS)).not.toContain("the same failure as in");
  });

  it("keeps the heading of a job whose only failure was seen before", () => {
    const jobs = [job("1", [failure()]), job("2", [failure()])];
    const body = renderFailureComment(report({ jobs }), OPTIONS);
    expect(body).toMatch(/### ❌ \[test-2\]\([^)]+\) · CircleCI\n\n\*\*`totals > adds VAT to the net price`\*\* — the same failure as in \[test-1\]/);
  });
});

describe("renderFailureComment notices", () => {
  it("tells how to connect a missing token at <baseUrl>/setup", () => {
    const body = renderFailureComment(report({ notices: [notice()] }), OPTIONS);
    const links = nodes(body, "link");
    expect(links.map((l) => l.url)).toContain("https://ci-mender.acme.dev/setup");
    expect(body).toContain("no Buildkite token is connected for this account");
    expect(body).toContain("> [!WARNING]\n> `buildkite/widgets-pipeline`: ");
  });

  it("keeps the path of a BASE_URL served under a prefix in the /setup link", () => {
    const body = renderFailureComment(report({ notices: [notice()] }), { ...OPTIONS, baseUrl: new URL("https://tools.acme.dev/ci-mender/") });
    expect(nodes(body, "link").map((l) => l.url)).toContain("https://tools.acme.dev/ci-mender/setup");
  });

  it("tells how to replace a rejected token", () => {
    const body = renderFailureComment(report({ notices: [notice({ kind: "token-rejected", message: "401 Unauthorized" })] }), OPTIONS);
    expect(body).toContain("Buildkite rejected the stored token (401 Unauthorized). An organization owner can connect a new one at");
    expect(nodes(body, "link").map((l) => l.url)).toContain("https://ci-mender.acme.dev/setup");
  });

  it("shows other notices' messages escaped", () => {
    const body = renderFailureComment(
      report({ notices: [notice({ kind: "not-this-build", message: "the build belongs to @evil/other [repo](//evil.example) ![x](/x.png)" })] }),
      OPTIONS,
    );
    expect(nodes(body, "link")).toEqual([]);
    expect(body).toContain("@\u200bevil/other");
  });

  it("shows at most 20 notices and counts the rest", () => {
    const notices = Array.from({ length: 25 }, (_, i) => notice({ context: `check-${i}` }));
    const body = renderFailureComment(report({ notices }), OPTIONS);
    expect(body).toContain("`check-19`");
    expect(body).not.toContain("`check-20`");
    expect(body).toContain("_5 more checks could not be read._");
  });
});

describe("renderFailureComment size", () => {
  const huge = "x".repeat(10_000);
  const hidden = "\u202e".repeat(5_000);

  // Shared strings keep the input itself small in memory: 300 jobs × 7 failures, each with 10k-character lines.
  const message = Array.from({ length: 12 }, () => huge).join("\n");
  const excerpt = Array.from({ length: 40 }, () => huge);
  const patch = Array.from({ length: 100 }, () => `+${huge}`).join("\n");
  const deepFile = `src/${"deep/".repeat(200)}file.ts`;

  function hugeReport(): CommitReport {
    const failures = (j: number) =>
      Array.from({ length: 7 }, (_, i) =>
        failure({ title: `${huge}-${j}-${i}`, message, excerpt, patch: i === 0 ? patch : undefined, file: deepFile, line: i + 1 }),
      );
    return report({
      jobs: Array.from({ length: 300 }, (_, j) =>
        job(String(j), failures(j), {
          job: { id: String(j), name: `${hidden}${huge}`, webUrl: `https://app.circleci.com/jobs/${j}?${"q=1&".repeat(3_000)}`, status: "failed" },
        }),
      ),
      notices: Array.from({ length: 200 }, (_, i) => notice({ kind: i % 2 ? "not-found" : "missing-token", context: `${hidden}${i}`, message: `${hidden}${huge}` })),
      failingContexts: Array.from({ length: 1_000 }, (_, i) => `check ${i} ${"-".repeat(150)}`),
    });
  }

  it("stays within GitHub's 65,536 characters for hundreds of jobs, thousands of failures and 10k-character lines", () => {
    const body = renderFailureComment(hugeReport(), OPTIONS);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toMatch(/not shown: the comment reached GitHub's size limit/);
    expect(body.endsWith("this comment is updated in place as checks change</sub>")).toBe(true);
    expect(readMarker(body)?.state).toBe("failing");
  });

  it("stays within the limit when only the notices are huge", () => {
    const notices = Array.from({ length: 20 }, (_, i) => notice({ kind: "unreadable", context: `${hidden}${i}`, message: `${hidden}${huge}` }));
    const body = renderFailureComment(report({ notices }), OPTIONS);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(readMarker(body)?.state).toBe("failing");
  });

  it("stays within the limit when only the job table is huge", () => {
    const jobs = Array.from({ length: 60 }, (_, j) =>
      job(String(j), null, {
        problem: "gone",
        job: { id: String(j), name: hidden, webUrl: `https://app.circleci.com/jobs/${j}?${"q=1&".repeat(3_000)}`, status: "failed" },
      }),
    );
    const body = renderFailureComment(report({ jobs }), OPTIONS);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    const rows = nodes(body, "table")[0]!.children!;
    expect(textOf(rows.at(-1)!.children![0]!)).toBe(`… ${60 - (rows.length - 2)} more`);
    expect(body).toContain("The log could not be read: gone");
  });

  it("stays within the limit for any number of jobs with many plain failures (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 4_000 }), (jobCount, perJob, lineLength) => {
        const line = "y".repeat(lineLength);
        const jobs = Array.from({ length: jobCount }, (_, j) =>
          job(String(j), Array.from({ length: perJob }, (_, i) => failure({ title: `t${j}-${i}`, message: line, excerpt: [line, line] }))),
        );
        const body = renderFailureComment(report({ jobs }), OPTIONS);
        expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
      }),
      { numRuns: 25 },
    );
  });

  it("shows everything, with no truncation note, when it fits", () => {
    const body = renderFailureComment(report({ jobs: [job("1", [failure()]), job("2", [failure({ title: "second" })])] }), OPTIONS);
    expect(body).not.toContain("not shown");
    expect(body).toContain("second");
  });

  it("keeps the job table and notices when the sections are cut", () => {
    const jobs = Array.from({ length: 40 }, (_, j) => job(String(j), [failure({ title: `t${j}`, excerpt: Array.from({ length: 30 }, () => "z".repeat(390)) })]));
    const body = renderFailureComment(report({ jobs, notices: [notice()] }), OPTIONS);
    expect(body).toContain("not shown");
    expect(nodes(body, "table")[0]!.children).toHaveLength(41);
    expect(body).toContain("no Buildkite token is connected");
  });

  it("lists at most 60 jobs in the table and counts the rest", () => {
    const jobs = Array.from({ length: 75 }, (_, j) => job(String(j), [failure({ title: `t${j}` })]));
    const table = nodes(renderFailureComment(report({ jobs }), OPTIONS), "table")[0]!;
    expect(table.children).toHaveLength(62);
    expect(textOf(table.children!.at(-1)!.children![0]!)).toBe("… 15 more");
  });

  it("still names every failed job beyond the table, with its link", () => {
    const jobs = Array.from({ length: 75 }, (_, j) => job(String(j), [failure({ title: `t${j}` })], {
      job: { id: String(j), name: `job-${j}`, webUrl: `https://app.circleci.com/jobs/${j}`, status: "failed" },
    }));
    const body = renderFailureComment(report({ jobs }), OPTIONS);
    for (let j = 0; j < 75; j += 1) expect(body).toContain(`[job-${j}](https://app.circleci.com/jobs/${j})`);
    expect(body).toContain("Also failed:");
  });
});

describe("renderFailureComment with hostile text in every field", () => {
  // Bare http(s) URLs are left out on purpose: GFM autolinks them in plain text whatever the escaping.
  const HOSTILE = ["$x$", ..."`*_[]()<>#!|~@-\n ", "```", "@octocat", "@acme/admins", "#12", "<img src=//evil.example/p.gif>", "[x](//evil.example)", "![i](/i.png)", "[y]: //evil.example", "<!--", "-->", "</details>", "<details>", "\u202e", "\u200b", "javascript:alert(1)", "\\"];
  const hostile = fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(""));

  it("renders no image, no HTML of its own making, no mention and links only to the job, the file and /setup (property)", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, (name, title, message, excerpt, context) => {
        const body = renderFailureComment(
          report({
            jobs: [
              job("1", [failure({ title, message, excerpt: excerpt.split("\n"), patch: `--- a/x\n+++ b/x\n+${excerpt}` })], {
                job: { id: "1", name, webUrl: "https://app.circleci.com/jobs/1", status: "failed" },
                problem: undefined,
              }),
              job("2", null, { problem: message, job: { id: "2", name, webUrl: "https://app.circleci.com/jobs/2", status: "failed" } }),
            ],
            notices: [notice({ context, message }), notice({ kind: "unreadable", context, message })],
            failingContexts: [context],
          }),
          OPTIONS,
        );

        const tree = parse(body);
        expect(nodesIn(tree, "image")).toEqual([]);
        const allowedHtml = new Set(["<details><summary>Log excerpt</summary>", "</details>", "<sub>", "</sub>", "<details><summary>Suggested change printed by vitest</summary>"]);
        for (const html of nodesIn(tree, "html")) {
          if (html.value!.startsWith("<!-- ci-mender:v1 ")) continue;
          expect(allowedHtml.has(html.value!), html.value).toBe(true);
        }
        const allowedLinks = ["https://app.circleci.com/jobs/1", "https://app.circleci.com/jobs/2", "https://ci-mender.acme.dev/setup", blobUrl("src/totals.test.ts", 42)];
        for (const link of nodesIn(tree, "link")) expect(allowedLinks, link.url).toContain(link.url);
        for (const text of nodesIn(tree, "text")) expect(text.value).not.toMatch(/(^|[^\w`])@[A-Za-z]/);
        expect(readMarker(body)).toEqual({ state: "failing", sha: SHA, contexts: [context] });
      }),
      { numRuns: 100 },
    );
  });
});

describe("renderResolvedComment", () => {
  it("says the checks are resolved, on which commits, and names them", () => {
    const body = renderResolvedComment(SHA, GREEN_SHA, ["ci/circleci: test", "lint"]);
    expect(body).toContain("## ✅ Resolved");
    expect(body).toContain("The checks that failed on `8f3c2a1` pass on `0a9b8c7`: `ci/circleci: test`, `lint`.");
    expect(readMarker(body)).toEqual({ state: "resolved", sha: GREEN_SHA, contexts: ["ci/circleci: test", "lint"] });
  });

  it("reads well without check names", () => {
    expect(renderResolvedComment(SHA, GREEN_SHA, [])).toContain("The checks that failed on `8f3c2a1` pass on `0a9b8c7`.");
  });

  it("keeps check names inert", () => {
    const body = renderResolvedComment(SHA, GREEN_SHA, ["@octocat `x` <img src=x>"]);
    expect(nodes(body, "image")).toEqual([]);
    expect(nodes(body, "inlineCode").map((n) => n.value)).toContain("@octocat `x` <img src=x>");
  });
});
