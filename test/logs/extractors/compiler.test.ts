import { expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";

// Windows runners were not available here: these are gcc's and MSVC's one-line formats with the paths a GitHub
// Actions Windows runner uses, not captured output.
it("reads Windows paths in compiler errors", async () => {
  const log = [
    "D:\\a\\demo\\demo\\src\\main.c:7:3: error: 'x' undeclared (first use in this function)",
    "D:\\a\\demo\\demo\\src\\util.cpp(12,5): error C2065: 'y': undeclared identifier [D:\\a\\demo\\demo\\app.vcxproj]",
  ];
  const result = await analyzeLog(log, { secrets: [] });
  expect(result.failures.map((f) => [f.tool, f.file, f.line, f.column])).toEqual([
    ["gcc/clang", "src/main.c", 7, 3],
    ["msvc", "src/util.cpp", 12, 5],
  ]);
});
