import { expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";

// The .NET SDK is not installable on this machine; these are the console shapes of `dotnet test` (vstest console
// logger) and msbuild as documented, not captured output. Mono's mcs, which prints the same error format, has a
// captured fixture (gitlab/mcs.log).
it("reads dotnet test failures with the file and line from the stack trace", async () => {
  const log = [
    "  Passed CalcTests.Adds [2 ms]",
    "  Failed CalcTests.Subtracts [4 ms]",
    "  Error Message:",
    "   Assert.Equal() Failure: Values differ",
    "Expected: 2",
    "Actual:   4",
    "  Stack Trace:",
    "     at CalcTests.Subtracts() in /home/runner/work/demo/demo/tests/CalcTests.cs:line 12",
    "   at System.RuntimeMethodHandle.InvokeMethod(Object target, Void** arguments, Signature sig, Boolean isConstructor)",
    "",
    "Failed!  - Failed:     1, Passed:     2, Skipped:     0, Total:     3, Duration: 12 ms - Calc.Tests.dll (net8.0)",
  ];
  const result = await analyzeLog(log, { secrets: [] });
  expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line])).toEqual([
    ["test", "dotnet test", "CalcTests.Subtracts", "tests/CalcTests.cs", 12],
  ]);
  expect(result.failures[0]?.message).toContain("Expected: 2");
  expect(result.tests).toEqual({ failed: 1, passed: 2, skipped: 0 });
});

it("reports an msbuild error once although the build summary repeats it", async () => {
  const error = "/home/runner/work/demo/demo/src/Program.cs(3,5): error CS1002: ; expected [/home/runner/work/demo/demo/src/App.csproj]";
  const log = ["  Determining projects to restore...", error, "", "Build FAILED.", "", error, "    0 Warning(s)", "    1 Error(s)"];
  const result = await analyzeLog(log, { secrets: [] });
  expect(result.failures.map((f) => [f.tool, f.title, f.file, f.line, f.column, f.count])).toEqual([
    ["csc", "CS1002: ; expected", "src/Program.cs", 3, 5, 1],
  ]);
});
