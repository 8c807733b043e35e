import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { analyzeFixture } from "../read-fixture.ts";

// PowerShell does not install here (no Debian package): the fixtures are written from Pester 5's and Pester 4's
// documented console output.
describe("Pester extractor", () => {
  it("reads each [-] test of Pester 5 with its reason and the place in the test or the module", async () => {
    const result = await analyzeFixture("documented/pester5.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line, f.message])).toEqual([
      ["test", "pester", "subtracts", "tests/Calc.Tests.ps1", 9, "Expected 2, but got 4."],
      ["test", "pester", "reads the config", "src/Calc.psm1", 14, "RuntimeException: config.json was not found"],
    ]);
    expect(result.tests).toEqual({ failed: 2, passed: 1, skipped: 0 });
  });

  it("reads Pester 4's `file: line N` place", async () => {
    const result = await analyzeFixture("documented/pester4.log");
    expect(result.failures.map((f) => [f.title, f.file, f.line])).toEqual([["subtracts", "tests/Calc.Tests.ps1", 9]]);
    expect(result.tests).toEqual({ failed: 1, passed: 1, skipped: 0 });
  });

  it("leaves the passing [+] tests out", async () => {
    const result = await analyzeLog(["Describing Calc", "  [+] adds 12ms (8ms|4ms)", "Tests Passed: 1, Failed: 0, Skipped: 0 NotRun: 0"], { secrets: [] });
    expect(result.failures.filter((f) => f.tool === "pester")).toEqual([]);
  });
});
