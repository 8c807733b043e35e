import { expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";

// Gradle cannot run on this machine (Debian's gradle 4.4 predates Java 17 and the wrapper needs the network), so
// this is the console shape Gradle documents for a failed test task, not captured output.
it("reads Gradle test failures and the test count", async () => {
  const log = [
    "> Task :app:compileJava",
    "> Task :app:test FAILED",
    "",
    "AppTest > subtracts() FAILED",
    "    org.opentest4j.AssertionFailedError at AppTest.java:12",
    "",
    "AppTest > divides() FAILED",
    "    java.lang.ArithmeticException at AppTest.java:17",
    "",
    "3 tests completed, 2 failed",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':app:test'.",
    "> There were failing tests. See the report at: file:///home/runner/work/demo/demo/app/build/reports/tests/test/index.html",
  ];
  const result = await analyzeLog(log, { secrets: [] });
  expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.message])).toEqual([
    ["test", "gradle", "AppTest > subtracts()", "org.opentest4j.AssertionFailedError at AppTest.java:12"],
    ["test", "gradle", "AppTest > divides()", "java.lang.ArithmeticException at AppTest.java:17"],
  ]);
  expect(result.tests).toEqual({ failed: 2, passed: 1, skipped: 0 });
});
