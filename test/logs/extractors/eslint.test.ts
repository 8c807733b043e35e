import { expect, it } from "vitest";
import { analyzeFixture } from "../read-fixture.ts";

it("reports warnings as failures when eslint failed on --max-warnings", async () => {
  const result = await analyzeFixture("raw/eslint-max-warnings.log");
  expect(result.failures.map((f) => [f.kind, f.title, f.file, f.line, f.column])).toEqual([
    ["lint", "Unexpected console statement (no-console)", "/tmp/fx/lint/warn/w.js", 2, 3],
  ]);
});
