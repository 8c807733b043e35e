import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";

describe("python lint extractor", () => {
  it("names ruff from the step's command and drops its fixable mark", async () => {
    // ruff's concise output as its documentation shows it (ruff is not installable on this machine).
    const log = ["$ ruff check .", "app/api.py:3:8: F401 [*] `json` imported but unused", "Found 1 error.", "[*] 1 fixable with the `--fix` option.", "exit status 1"];
    const result = await analyzeLog(log, { secrets: [] });
    expect(result.failures.map((f) => [f.tool, f.kind, f.title, f.file, f.line, f.column])).toEqual([
      ["ruff", "lint", "F401 `json` imported but unused", "app/api.py", 3, 8],
    ]);
  });

  it("leaves pytest's file:line assertion lines to pytest", async () => {
    const result = await analyzeLog(["tests/test_calc.py:12: AssertionError"], { secrets: [] });
    expect(result.failures.every((f) => f.tool !== "flake8")).toBe(true);
  });
});
