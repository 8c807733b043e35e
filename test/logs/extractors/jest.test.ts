import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { FIXTURES } from "../read-fixture.ts";

it("does not count the failures jest repeats in its closing summary", async () => {
  const run = readFileSync(FIXTURES + "raw/jest.log", "utf8").split("\n");
  const blocks = run.slice(0, run.findIndex((l) => l.startsWith("Test Suites:")));
  // With many suites jest prints every failure again under this heading before the totals.
  const log = [...blocks, "Summary of all failing tests", ...blocks, ...run.slice(blocks.length)];
  const result = await analyzeLog(log, { secrets: [] });
  expect(result.failures.map((f) => [f.title, f.count])).toEqual([
    ["sum › adds negative numbers", 1],
    ["parse › handles a missing value", 1],
    ["sums an array", 1],
  ]);
});
