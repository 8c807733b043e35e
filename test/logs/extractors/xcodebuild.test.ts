import { describe, expect, it } from "vitest";
import { analyzeFixture, shown } from "../read-fixture.ts";

// Xcode runs only on macOS: the fixtures are written from xcodebuild's, XCTest's and xcpretty's documented output.
describe("xcodebuild extractor", () => {
  it("reads XCTest's assertion as a test failure, not as a compiler error, and not the Testing failed: repeat", async () => {
    const result = await analyzeFixture("documented/xcodebuild-test.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line, f.message])).toEqual([
      ["test", "xctest", "DemoTests.CalcTests.testSubtracts", "DemoTests/CalcTests.swift", 15, 'XCTAssertEqual failed: ("4") is not equal to ("2")'],
    ]);
  });

  it("leaves BUILD FAILED's command list out when the compiler's error was read", async () => {
    const result = await analyzeFixture("documented/xcodebuild-build.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line])).toEqual([
      ["compile", "swiftc", "cannot find 'totl' in scope", "Demo/Calc.swift", 7],
    ]);
  });

  it("reads the failed build commands when nothing above explains BUILD FAILED", async () => {
    const result = await analyzeFixture("documented/xcodebuild-signing.log");
    expect(result.failures.map((f) => [f.tool, f.title])).toEqual([
      ["xcodebuild", expect.stringMatching(/^ProcessProductPackaging .*\(in target 'Demo' from project 'Demo'\)$/)],
    ]);
    expect(shown(result.failures[0]!)).toContain("The following build commands failed:");
  });

  it("reads xcpretty's ❌ lines and xcodebuild's own errors, not as linker errors", async () => {
    const result = await analyzeFixture("documented/xcpretty.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line, f.column])).toEqual([
      ["compile", "xcodebuild", "cannot find 'totl' in scope", "Demo/Calc.swift", 7, 16],
      ["error", "xcodebuild", "Unable to find a destination matching the provided destination specifier:", undefined, undefined, undefined],
    ]);
  });
});
