import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { analyzeFixture } from "../read-fixture.ts";

describe("EditorConfig checkers", () => {
  // Captured: `eclint check src/a.js src/b.yml src/c.txt` (eclint 2.8.1).
  it("reads eclint's problems with the file above them and the rule under them", async () => {
    const result = await analyzeFixture("raw/eclint.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line, f.column])).toEqual([
      ["format", "eclint", "invalid indent style: tab, expected: space (indent_style)", "src/a.js", 2, 1],
      ["format", "eclint", "unexpected trailing whitespace (trim_trailing_whitespace)", "src/a.js", 4, 13],
      ["format", "eclint", "expected final newline (insert_final_newline)", "src/b.yml", 1, 8],
    ]);
  });

  // Written from editorconfig-checker's documented output: its npm package downloads a Go binary at run time,
  // which cannot be fetched here.
  it("reads editorconfig-checker's problems, with and without a line, under their file", async () => {
    const result = await analyzeFixture("documented/editorconfig-checker.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line])).toEqual([
      ["format", "editorconfig-checker", "Wrong indent style found (tabs instead of spaces)", "src/a.js", 2],
      ["format", "editorconfig-checker", "Trailing whitespace", "src/a.js", 4],
      ["format", "editorconfig-checker", "Final newline expected", "src/b.yml", undefined],
    ]);
  });

  it("ignores a prose line that happens to mention trailing whitespace", async () => {
    const result = await analyzeLog(["Removing trailing whitespace from 3 files", "Done"], { secrets: [] });
    expect(result.failures.filter((f) => f.tool.includes("editorconfig") || f.tool === "eclint")).toEqual([]);
  });
});
