import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";

describe("shellcheck extractor", () => {
  it("lets go of an `In … line N:` headline that no caret follows, so the lines after it reach other tools", async () => {
    const log = ["In config.txt line 3:", "value = 1", "value = 2", "value = 3", "value = 4", "src/app.c:3:1: error: expected ';' before '}' token"];
    const result = await analyzeLog(log, { secrets: [] });
    expect(result.failures.map((f) => [f.tool, f.file, f.line])).toEqual([["gcc/clang", "src/app.c", 3]]);
  });
});
