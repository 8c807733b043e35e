import { describe, expect, it } from "vitest";
import { analyzeFixture, shown } from "../read-fixture.ts";

describe("ExUnit extractor", () => {
  // Captured: `mix test --seed 0` (Elixir 1.14.0, Erlang/OTP 25).
  it("reads each failed test with its place, the assertion's left and right, and the exception", async () => {
    const result = await analyzeFixture("raw/exunit.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title, f.file, f.line])).toEqual([
      ["test", "exunit", "test subtracts (CalcTest)", "test/calc_test.exs", 8],
      ["crash", "exunit", "test div/2 divides by zero (CalcTest)", "test/calc_test.exs", 13],
    ]);
    expect(result.failures[0]!.message).toBe("Assertion with == failed\ncode:  assert Calc.sub(3, 1) == 2\nleft:  4\nright: 2");
    expect(shown(result.failures[1]!)).toContain("lib/calc.ex:4: Calc.div/2");
    expect(result.tests).toEqual({ failed: 2, passed: 1 });
  });

  // Captured: `mix test` with a compile error in lib/calc.ex.
  it("reads the compile error that stops mix before any test runs, not the warnings before it", async () => {
    const result = await analyzeFixture("raw/exunit-compile.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.file, f.line])).toEqual([["compile", "elixir", "lib/calc.ex", 3]]);
    expect(result.failures[0]!.title).toMatch(/^CompileError: undefined function c\/0/);
  });
});
