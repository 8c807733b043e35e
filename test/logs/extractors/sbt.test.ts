import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { analyzeFixture, shown } from "../read-fixture.ts";

// sbt does not install here (not packaged for Debian; its launcher downloads itself): the fixtures are written
// from sbt's and ScalaTest's documented console output.
describe("sbt extractor", () => {
  it("reads scalac's diagnostics with the code and caret, not the task failure that points at them", async () => {
    const result = await analyzeFixture("documented/sbt-compile.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line, f.column])).toEqual([
      ["compile", "scalac", "type mismatch;", "src/main/scala/demo/Calc.scala", 5, 18],
      ["compile", "scalac", "not found: value prinltn", "src/main/scala/demo/Main.scala", 3, 3],
    ]);
    expect(result.failures[0]!.message).toBe('type mismatch;\nfound   : String("two")\nrequired: Int');
    expect(shown(result.failures[1]!)).toContain('prinltn("hi")');
    expect(result.failures.map(shown).join("\n")).not.toMatch(/two errors found|Total time|Compilation failed/);
  });

  it("reads a ScalaTest failure with its subject, and the totals", async () => {
    const result = await analyzeFixture("documented/sbt-test.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.message])).toEqual([
      ["test", "scalatest", "Calc should subtract", "4 did not equal 2 (CalcSpec.scala:12)"],
    ]);
    expect(result.tests).toEqual({ failed: 1, passed: 1, skipped: 0 });
  });

  it("reads a failed task as the cause when nothing above explains it", async () => {
    const result = await analyzeFixture("documented/sbt-resolve.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title])).toEqual([
      ["error", "sbt", "update: sbt.librarymanagement.ResolveException: Error downloading org.example:missing-lib_2.13:1.2.3"],
    ]);
  });

  it("reads Scala 3's diagnostic headline", async () => {
    const result = await analyzeLog(
      [
        "[error] -- [E007] Type Mismatch Error: src/main/scala/demo/Calc.scala:5:17 ------",
        '[error] 5 |  def two: Int = "two"',
        "[error]   |                 ^^^^^",
        "[error]   |                 Found:    (\"two\" : String)",
        "[error]   |                 Required: Int",
        "[error] one error found",
      ],
      { secrets: [] },
    );
    expect(result.failures.map((f) => [f.tool, f.title, f.file, f.line, f.column])).toEqual([
      ["scalac", "E007: Type Mismatch Error", "src/main/scala/demo/Calc.scala", 5, 17],
    ]);
    expect(shown(result.failures[0]!)).toContain("Required: Int");
  });
});
