import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { FIXTURES } from "../read-fixture.ts";

describe("pre-commit extractor", () => {
  it("says a hook changed files as a formatting failure, with what to do", async () => {
    const lines = readFileSync(FIXTURES + "raw/pre-commit-modified.log", "utf8").trimEnd().split("\n");
    const result = await analyzeLog(lines, { secrets: [] });
    expect(result.failures.map((f) => [f.kind, f.tool, f.title])).toEqual([
      ["format", "pre-commit", 'pre-commit hook "strip-trailing" failed: it changed files (run pre-commit locally and commit the result)'],
    ]);
  });

  it("leaves another tool's dotted Failed line alone", async () => {
    const result = await analyzeLog(["Checking links..............Failed", "3 of 40 links are broken"], { secrets: [] });
    expect(result.failures.every((f) => f.tool !== "pre-commit")).toBe(true);
  });
});
