import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { analyzeFixture, shown } from "../read-fixture.ts";

describe("karma extractor", () => {
  // Captured: `npx karma start` (karma 6.4.4, karma-jasmine, Chromium 156 headless).
  it("reads each FAILED spec with its message and the spec file's frame, and the totals", async () => {
    const result = await analyzeFixture("raw/karma.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line, f.column])).toEqual([
      ["test", "karma", "calc throws on purpose", "test/calc.spec.js", 9, 10],
      ["test", "karma", "calc subtracts", "test/calc.spec.js", 6, 28],
    ]);
    expect(result.failures[1]!.message).toBe("Expected 4 to be 2.");
    expect(shown(result.failures[1]!)).not.toContain("<Jasmine>");
    expect(result.tests).toEqual({ failed: 2, passed: 1 });
    expect(result.failures.map(shown).join("\n")).not.toMatch(/Executed \d of|karma-server/);
  });

  it("reads a browser ERROR (a script that throws while loading)", async () => {
    const result = await analyzeLog(
      ["Chrome Headless 156.0.0.0 (Linux 0.0.0) ERROR", "  Uncaught ReferenceError: angular is not defined", "  at src/app.js:1:1", "", "Chrome Headless 156.0.0.0 (Linux 0.0.0): Executed 0 of 0 ERROR (0.002 secs / 0 secs)"],
      { secrets: [] },
    );
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line])).toEqual([
      ["crash", "karma", "Uncaught ReferenceError: angular is not defined", "src/app.js", 1],
    ]);
  });
});
