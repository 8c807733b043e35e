import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { analyzeFixture } from "../read-fixture.ts";

// Captured: perlcritic 1.148 (Debian libperl-critic-perl) on a module without strictures and one that passes.
describe("perlcritic extractor", () => {
  it("reads each violation with its file, line and column, and not the files that pass", async () => {
    const result = await analyzeFixture("raw/perlcritic.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line, f.column])).toEqual([
      ["lint", "perlcritic", "Code before strictures are enabled", "lib/Calc.pm", 3, 1],
      ["lint", "perlcritic", "Bareword file handle opened", "lib/Calc.pm", 9, 5],
    ]);
    expect(result.failures[0]!.message).toBe("Code before strictures are enabled\nSee page 429 of PBP\nseverity 5");
  });

  it("reads the one-file format (no file name) and the policy names of --verbose 8", async () => {
    const single = await analyzeFixture("raw/perlcritic-single.log");
    expect(single.failures.map((f) => [f.title, f.file, f.line])).toEqual([
      ["Code before strictures are enabled", undefined, 3],
      ["Code before warnings are enabled", undefined, 3],
      ["Bareword file handle opened", undefined, 9],
      ["Close filehandles as soon as possible after opening them", undefined, 9],
    ]);
    const verbose = await analyzeFixture("raw/perlcritic-verbose8.log");
    expect(verbose.failures.map((f) => f.title)).toEqual([
      "TestingAndDebugging::RequireUseStrict: Code before strictures are enabled",
      "InputOutput::ProhibitBarewordFileHandles: Bareword file handle opened",
    ]);
  });

  it("ignores Perl's own warnings, which name a line but no severity", async () => {
    const result = await analyzeLog(["Use of uninitialized value $x in addition (+) at lib/Calc.pm line 5.", "ok 1"], { secrets: [] });
    expect(result.failures.filter((f) => f.tool === "perlcritic")).toEqual([]);
  });
});
