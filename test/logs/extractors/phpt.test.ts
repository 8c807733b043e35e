import { describe, expect, it } from "vitest";
import { analyzeFixture, shown } from "../read-fixture.ts";

// Captured: PHP 8.2's run-tests.php (from Debian's php8.2-dev) on three .phpt files, one passing.
describe("phpt extractor", () => {
  it("reads each FAIL with the diff --show-diff printed above it, preferring a fatal error as the message", async () => {
    const result = await analyzeFixture("raw/phpt-show-diff.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file])).toEqual([
      ["test", "phpt", "config loads", "tests/fatal.phpt"],
      ["test", "phpt", "sum() adds two numbers", "tests/sum.phpt"],
    ]);
    expect(result.failures[0]!.message).toMatch(/^Fatal error: Uncaught Error: Failed opening required/);
    expect(shown(result.failures[1]!)).toContain("001+ int(0)");
    expect(shown(result.failures[1]!)).toContain("001- int(4)");
    expect(result.tests).toEqual({ failed: 2, passed: 1, skipped: 0 });
  });

  it("reads the FAIL lines without a diff, and does not list the summary's repeats again", async () => {
    const result = await analyzeFixture("raw/phpt-summary.log");
    expect(result.failures.map((f) => [f.title, f.file, f.count])).toEqual([
      ["config loads", "tests/fatal.phpt", 1],
      ["sum() adds two numbers", "tests/sum.phpt", 1],
    ]);
    expect(result.failures.map(shown).join("\n")).not.toMatch(/PHP_VERSION|More \.INIs/);
  });
});
