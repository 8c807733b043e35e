import { describe, expect, it } from "vitest";
import { analyzeFixture, shown } from "../read-fixture.ts";

describe("Erlang common_test extractor", () => {
  // Captured: `ct_run -noshell -dir test -logdir logs` (Common Test 1.23.3, Erlang/OTP 25).
  it("reads each failure ct_run frames between rules: where it failed and the reason", async () => {
    const result = await analyzeFixture("raw/common-test.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.line])).toEqual([
      ["test", "common_test", "calc_SUITE:sub", 10],
      ["test", "common_test", "lists:nth", 198],
    ]);
    expect(result.failures[0]!.message).toBe("calc_SUITE:sub failed on line 10\n{badmatch,4}");
    expect(result.tests).toEqual({ failed: 2, passed: 1, skipped: 0 });
  });

  // Captured: the same suite including a header that is not installed.
  it("reads the erlc error that stops a suite from loading, and the suite that could not be loaded", async () => {
    const result = await analyzeFixture("raw/common-test-compile.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line, f.column])).toEqual([
      ["compile", "erlc", 'can\'t find include lib "common_test/include/ct.hrl"', "calc_SUITE.erl", 2, 14],
      ["crash", "common_test", "calc_SUITE cannot be compiled or loaded", undefined, undefined, undefined],
    ]);
  });

  // Captured: `rebar3 ct` (rebar 3.19.0) on the same suite.
  it("reads rebar3's FAILED cases with the reason term and the suite's own frame as the place", async () => {
    const result = await analyzeFixture("raw/rebar3-ct.log");
    expect(result.failures.map((f) => [f.kind, f.title, f.file, f.line])).toEqual([
      ["test", "calc_SUITE:sub", "/tmp/fxr/rb/calc/test/calc_SUITE.erl", 10],
      ["test", "calc_SUITE:crash", undefined, undefined],
    ]);
    expect(shown(result.failures[1]!)).toContain("{function_clause,[{lists,nth,[3,[]]");
    expect(result.tests).toEqual({ failed: 2, passed: 1, skipped: 0 });
    expect(result.failures.map(shown).join("\n")).not.toContain("Verifying dependencies");
  });
});
