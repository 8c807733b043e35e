import { describe, expect, it } from "vitest";
import { analyzeFixture } from "../read-fixture.ts";

// Gradle does not run here (Debian's gradle 4.4 predates Java 17; the wrapper downloads Gradle): the fixtures are
// written from Gradle's documented failure report.
describe("Gradle failure report", () => {
  it("reads What went wrong with its innermost cause, up to * Try:", async () => {
    const result = await analyzeFixture("documented/gradle-dependency.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title])).toEqual([
      ["error", "gradle", "Execution failed for task ':app:compileJava'. Could not find com.example:missing-lib:1.2.3."],
    ]);
    const [failure] = result.failures;
    expect(failure!.excerpt).toContain("   > Could not find com.example:missing-lib:1.2.3.");
    expect(failure!.excerpt.join("\n")).not.toMatch(/Run with --stacktrace|help\.gradle\.org|BUILD FAILED/);
  });

  it("takes the build script and line from * Where:", async () => {
    const result = await analyzeFixture("documented/gradle-script.log");
    expect(result.failures.map((f) => [f.title.split(". ")[0], f.file, f.line])).toEqual([["A problem occurred evaluating project ':app'", "app/build.gradle", 12]]);
  });

  it("leaves out a report that only points at the compiler errors or failing tests read above it", async () => {
    const compile = await analyzeFixture("documented/gradle-compile.log");
    expect(compile.failures.map((f) => [f.tool, f.title, f.file, f.line])).toEqual([["javac", "cannot find symbol", "app/src/main/java/demo/App.java", 5]]);
    const tests = await analyzeFixture("documented/gradle-tests.log");
    expect(tests.failures.map((f) => [f.tool, f.title])).toEqual([["gradle", "AppTest > subtracts()"]]);
  });
});
