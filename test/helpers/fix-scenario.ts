import { createHash } from "node:crypto";
import nock from "nock";
import { GITHUB_API } from "./github-nock.ts";
import * as actions from "../providers/github-actions/nock.ts";

/**
 * A same-repository PR (#42 of acme/widgets at SHA) whose GitHub Actions job failed on three formatter checks:
 * `cargo fmt --check`, `gofmt -d` and `black --diff`, printed as the tools print them inside Actions' framing.
 * The head's files are the pre-images those diffs were made from.
 */
export const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
export const PR = 42;
const WS = "/home/runner/work/widgets/widgets";

const stamp = (i: number) => `2026-11-22T05:09:${String(10 + (i % 40)).padStart(2, "0")}.${String(1000000 + i).slice(1)}0Z`;

export const HEAD_FILES: Record<string, string> = {
  "src/main.rs": ['fn parse(s: &str) -> usize {', "    s.len()", "}", "", "fn main(){", '    let total = parse("12");', '    let name = String::from("x");', "    let moved = name;", "}", ""].join("\n"),
  "calc/calc.go": ["package calc", "", "func Add(a, b int) int { return a + b }", "", "func Sub(a, b int) int {", "  return a + b", "}", "", "func Div(a, b int) int { return a / b }", ""].join("\n"),
  "fmt/style.py": ['def f(a,b):', '    return {"a":a,', '  "b":b}', "", "", "", "x=f(1,2)", ""].join("\n"),
};

/** Lines the PR changed: all of src/main.rs and fmt/style.py are new in it; calc/calc.go is untouched. */
export const PR_FILES = [
  { filename: "src/main.rs", status: "added", patch: `@@ -0,0 +1,9 @@\n${HEAD_FILES["src/main.rs"]!.replace(/\n$/, "").split("\n").map((l) => `+${l}`).join("\n")}` },
  { filename: "fmt/style.py", status: "added", patch: `@@ -0,0 +1,7 @@\n${HEAD_FILES["fmt/style.py"]!.replace(/\n$/, "").split("\n").map((l) => `+${l}`).join("\n")}` },
  { filename: "README.md", status: "modified", patch: "@@ -1,2 +1,3 @@\n # widgets\n+More.\n " },
];

// As GitHub Actions prints it: each step's echoed script inside its group, its output after the group ends (the
// steps run with continue-on-error, so each failing one closes with its own ##[error]).
export const JOB_LOG = [
  "##[group]Run cargo fmt --check",
  "cargo fmt --check",
  "shell: /usr/bin/bash -e {0}",
  "##[endgroup]",
  `Diff in ${WS}/src/main.rs:2:`,
  "     s.len()",
  " }",
  " ",
  "\u001b[31m-fn main(){\u001b[0m",
  "\u001b[32m+fn main() {\u001b[0m",
  '     let total = parse("12");',
  '     let name = String::from("x");',
  "     let moved = name;",
  "##[error]Process completed with exit code 1.",
  "##[group]Run gofmt -d .",
  "gofmt -d .",
  "shell: /usr/bin/bash -e {0}",
  "##[endgroup]",
  "diff calc/calc.go.orig calc/calc.go",
  "--- calc/calc.go.orig",
  "+++ calc/calc.go",
  "@@ -3,7 +3,7 @@",
  " func Add(a, b int) int { return a + b }",
  " ",
  " func Sub(a, b int) int {",
  "-  return a + b",
  "+\treturn a + b",
  " }",
  " ",
  " func Div(a, b int) int { return a / b }",
  "##[error]Process completed with exit code 1.",
  "##[group]Run black --check --diff .",
  "black --check --diff .",
  "shell: /usr/bin/bash -e {0}",
  "##[endgroup]",
  `--- ${WS}/fmt/style.py\t2026-11-22 05:09:19.269956 +0000`,
  `+++ ${WS}/fmt/style.py\t2026-11-22 05:09:19.476926 +0000`,
  "@@ -1,7 +1,5 @@",
  "-def f(a,b):",
  '-    return {"a":a,',
  '-  "b":b}',
  "+def f(a, b):",
  '+    return {"a": a, "b": b}',
  " ",
  " ",
  "-",
  "-x=f(1,2)",
  "+x = f(1, 2)",
  `would reformat ${WS}/fmt/style.py`,
  "",
  "Oh no! 💥 💔 💥",
  "1 file would be reformatted.",
  "##[error]Process completed with exit code 1.",
]
  .map((line, i) => `${stamp(i)} ${line}`)
  .join("\n");

/** Blob ids as GitHub computes them: sha1("blob <size>\0<content>"). */
export function blobSha(content: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(content)}\0`).update(content).digest("hex");
}

/** The failed job, and its log behind the 302 to signed storage, as GitHub Actions serves them. */
export function nockFailedJob(log = JOB_LOG): nock.Scope[] {
  return [
    actions.nockJob(),
    actions
      .githubApi()
      .get(`/repos/acme/widgets/actions/jobs/${actions.JOB}/logs`)
      .reply(302, "", { location: `${actions.LOG_STORAGE}${actions.LOG_PATH}${actions.SIGNED_QUERY}` }),
    nock(actions.LOG_STORAGE, { badheaders: ["authorization"] })
      .get(`${actions.LOG_PATH}${actions.SIGNED_QUERY}`)
      .reply(200, log, { "content-type": "text/plain" }),
  ];
}

/** `GET contents/{path}?ref=<sha>` for each file, as the contents API answers (base64, blob sha). */
export function nockHeadFiles(files: Record<string, string>, sha = SHA, times = 1): nock.Scope {
  const scope = nock(GITHUB_API);
  for (const [path, content] of Object.entries(files)) {
    scope
      .get(`/repos/acme/widgets/contents/${path.split("/").map(encodeURIComponent).join("%2F")}`)
      .query({ ref: sha })
      .times(times)
      .reply(200, {
        type: "file",
        encoding: "base64",
        size: Buffer.byteLength(content),
        name: path.split("/").at(-1),
        path,
        sha: blobSha(content),
        content: Buffer.from(content).toString("base64").replace(/(.{60})/g, "$1\n"),
      });
  }
  return scope;
}

export function nockPrFiles(files = PR_FILES, pr = PR): nock.Scope {
  return nock(GITHUB_API).get(`/repos/acme/widgets/pulls/${pr}/files`).query(true).reply(200, files);
}

export interface PostedReview {
  commit_id: string;
  event: string;
  body: string;
  comments: Array<{ path: string; line: number; start_line?: number; side: string; body: string }>;
}

export function nockReview(reviews: PostedReview[], pr = PR, existing: unknown[] = []): nock.Scope[] {
  return [
    nock(GITHUB_API).get(`/repos/acme/widgets/pulls/${pr}/comments`).query(true).reply(200, existing),
    nock(GITHUB_API)
      .post(`/repos/acme/widgets/pulls/${pr}/reviews`, (body: Partial<PostedReview> | string | undefined) => {
        // nock tries body matchers on requests to other paths too (bodiless GETs): only a review is recorded.
        if (typeof body !== "object" || !Array.isArray(body.comments)) return false;
        reviews.push(body as PostedReview);
        return true;
      })
      .reply(200, { id: 77 }),
  ];
}
