import { describe, expect, it } from "vitest";
import { analyzeFixture } from "../read-fixture.ts";

// CocoaPods is not packaged for Debian and its gems cannot be fetched: the fixtures are written from `pod lib
// lint`'s documented output.
describe("CocoaPods lint extractor", () => {
  it("reads the - ERROR | lines the did-not-pass-validation verdict counts, not the warnings or notes", async () => {
    const result = await analyzeFixture("documented/cocoapods-lint.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title])).toEqual([
      ["lint", "cocoapods", expect.stringMatching(/^unknown: Encountered an unknown error \(Could not find a `ios` simulator/)],
      ["lint", "cocoapods", "xcodebuild: Returned an unsuccessful exit code. You can use `--verbose` for more information."],
      ["lint", "cocoapods", "xcodebuild:  DemoKit/Sources/DemoKit.swift:3:8: error: no such module 'Alamofire'"],
    ]);
    expect(result.failures[0]!.message).toBe("DemoKit did not pass validation\nplatform: iOS");
  });

  it("reads the warnings when only warnings failed the lint", async () => {
    const result = await analyzeFixture("documented/cocoapods-warnings.log");
    expect(result.failures.map((f) => f.title)).toEqual(["summary: The summary is not meaningful.", "url: The URL (https://example.invalid/demokit) is not reachable."]);
  });
});
