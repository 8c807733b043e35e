import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { analyzeFixture, shown } from "../read-fixture.ts";

describe("minitest extractor", () => {
  // Captured: `ruby test/calc_test.rb --seed 4242` (minitest 5.17.0, Ruby 3.1.2).
  it("reads each Failure and Error block with its test, place and message", async () => {
    const result = await analyzeFixture("raw/minitest.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line])).toEqual([
      ["crash", "minitest", "CalcTest#test_div", "/tmp/fxr/minitest/lib/calc.rb", 4],
      ["test", "minitest", "CalcTest#test_sub", "test/calc_test.rb", 10],
      ["test", "minitest", "CalcTest#test_names", "test/calc_test.rb", 18],
    ]);
    expect(shown(result.failures[1]!)).toContain("Actual: 4");
    expect(result.failures[0]!.message).toBe("ZeroDivisionError: divided by 0");
    expect(result.tests).toEqual({ failed: 3, passed: 1, skipped: 0 });
  });

  it("does not take a numbered list in other output for a failure block", async () => {
    const result = await analyzeLog(["Steps:", "  1) Install", "  2) Failure: none expected", "done"], { secrets: [] });
    expect(result.failures.filter((f) => f.tool === "minitest")).toEqual([]);
  });
});
