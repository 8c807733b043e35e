import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { analyzeFixture } from "../read-fixture.ts";

// ruff is not packaged for Debian 12 and PyPI is unreachable here; `ruff format --diff` prints a plain unified diff
// like this one (no timestamps), named by the step that ran it.
it("names a plain diff after the formatter the step ran and keeps it as an applicable patch", async () => {
  const log = [
    "2024-05-14T09:21:07.0000000Z ##[group]Run ruff format --diff .",
    "2024-05-14T09:21:07.0000000Z ##[endgroup]",
    "2024-05-14T09:21:07.1000000Z --- src/app.py",
    "2024-05-14T09:21:07.1000000Z +++ src/app.py",
    "2024-05-14T09:21:07.1000000Z @@ -1,2 +1,2 @@",
    "2024-05-14T09:21:07.1000000Z -x=1",
    "2024-05-14T09:21:07.1000000Z +x = 1",
    "2024-05-14T09:21:07.1000000Z  print(x)",
    "2024-05-14T09:21:07.1000000Z ",
    "2024-05-14T09:21:07.1000000Z 1 file would be reformatted",
    "2024-05-14T09:21:07.2000000Z ##[error]Process completed with exit code 1.",
  ];
  const result = await analyzeLog(log, { secrets: [] });
  expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line])).toEqual([
    ["format", "ruff", "src/app.py is not formatted", "src/app.py", 1],
  ]);
  expect(result.failures[0]?.patch).toBe("--- a/src/app.py\n+++ b/src/app.py\n@@ -1,2 +1,2 @@\n-x=1\n+x = 1\n print(x)\n");
});

it("does not take a test framework's expected/actual diff for a patch", async () => {
  const log = ["--- Expected", "+++ Actual", "@@ @@", " Array (", "-    'b' => 2", "+    'b' => 3", " )"];
  const result = await analyzeLog(log, { secrets: [] });
  expect(result.failures.filter((f) => f.kind === "format")).toEqual([]);
});

it("rebuilds rustfmt's hunks into a patch that git applies to the unformatted file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ci-mender-rustfmt-"));
  try {
    mkdirSync(join(dir, "src"));
    // The file `cargo fmt --check` ran on when circleci/rustfmt.log was captured.
    const original = [
      "fn parse(s: &str) -> i32 {",
      "    s.len()",
      "}",
      "",
      "fn main(){",
      '    let total: i32 = parse("12");',
      '    let name = String::from("x");',
      "    let moved = name;",
      '    println!("{} {}", total, name);',
      "}",
      "",
    ].join("\n");
    writeFileSync(join(dir, "src/main.rs"), original);
    const [failure] = (await analyzeFixture("circleci/rustfmt.log")).failures;
    writeFileSync(join(dir, "fix.patch"), failure?.patch ?? "");
    execFileSync("git", ["apply", "fix.patch"], { cwd: dir });
    expect(readFileSync(join(dir, "src/main.rs"), "utf8")).toBe(original.replace("fn main(){", "fn main() {"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
