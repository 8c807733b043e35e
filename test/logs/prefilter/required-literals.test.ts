import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createExtractors } from "../../../src/logs/extractors/index.ts";
import { requiredLiterals } from "../../../src/logs/prefilter/required-literals.ts";

/** Patterns the analyser looks for besides the extractors' triggers. */
const ANALYSER_EXTRAS = [
  /exit code|xited with|Job failed|\*\*\* \[|^exit status|-----BEGIN/,
  /^##\[(group|endgroup|error|warning|command|debug|notice|section)\]/,
  /^\$ /,
  /^(?:---|\+\+\+|~~~) /,
  /^section_(start|end):/,
];
const ANALYSER_PATTERNS = [...createExtractors().map((e) => e.trigger), ...ANALYSER_EXTRAS];

const utf8Length = (s: string): number => Buffer.byteLength(s, "utf8");

/**
 * Strings `pattern` matches. fast-check does not generate for `\b`; without it the pattern matches more strings, so
 * those are generated and the ones the real pattern rejects are dropped.
 */
function matching(pattern: RegExp): fc.Arbitrary<string> {
  const generated = pattern.source.includes("\\b")
    ? fc.stringMatching(new RegExp(pattern.source.replaceAll("\\b", ""), pattern.flags))
    : fc.stringMatching(pattern);
  return generated.filter((s) => pattern.test(s));
}

describe("requiredLiterals", () => {
  it.each([
    [/^(?:FAILED|OK) \(/, ["FAILED (", "OK ("]],
    [/<<< (?:FAILURE|ERROR)!$/, ["<<< ERROR!", "<<< FAILURE!"]],
    [/^\s*●\s/, ["●"]],
    [/a|b/, ["a", "b"]],
  ])("takes the longest literal run of %s", (pattern, expected) => {
    expect(requiredLiterals([pattern])).toEqual(expected);
  });

  it("expands a small optional suffix into one literal per choice", () => {
    const literals = requiredLiterals([/^\d+ tests? completed, /]);
    expect(literals).toEqual([" test completed, ", " tests completed, "]);
    expect(Math.min(...literals.map(utf8Length))).toBeGreaterThanOrEqual(10);
  });

  it("drops a literal that contains another one", () => {
    expect(requiredLiterals([/FAIL|FAILED/])).toEqual(["FAIL"]);
    expect(requiredLiterals([/^--- FAIL: /, /^--- /])).toEqual(["--- "]);
  });

  it("joins a repeated literal to its neighbours, since the first and last repetition border them", () => {
    expect(requiredLiterals([/^=+ (?:FAILURES|ERRORS) =+$/])).toEqual(["= ERRORS =", "= FAILURES ="]);
    expect(requiredLiterals([/wxy(?:ab)+z/])).toEqual(["wxyab"]);
    expect(requiredLiterals([/x(?:ab){2,}yz/])).toEqual(["ababyz"]);
  });

  it("turns escapes and characters beyond the BMP into the characters they stand for", () => {
    expect(requiredLiterals([/\u{1F600}\x41\n\t/u])).toEqual(["😀A\n\t"]);
    expect(requiredLiterals([/\u2716 failing/])).toEqual(["✖ failing"]);
  });

  it("never returns half of a surrogate pair, which has no UTF-8 bytes of its own", () => {
    // Without the u flag `+` repeats only the low surrogate of 😀.
    expect(requiredLiterals([/😀+xyz/])).toEqual(["😀"]);
  });

  it("ends a literal run at an assertion and ignores case-insensitive groups", () => {
    expect(requiredLiterals([/abc(?=d)ef/])).toEqual(["abc"]);
    expect(requiredLiterals([/(?i:error) at line/])).toEqual([" at line"]);
  });

  it("prefers the set whose shortest literal is longest in UTF-8 bytes", () => {
    // "●●" is 6 bytes, "abcde" 5.
    expect(requiredLiterals([/●●\dabcde/])).toEqual(["●●"]);
    // On a tie the set with fewer literals wins.
    expect(requiredLiterals([/(?:ab|cd)\d(?:ef)/])).toEqual(["ef"]);
  });

  it("returns a sorted list whatever the order of the patterns", () => {
    const forward = requiredLiterals(ANALYSER_PATTERNS);
    expect(requiredLiterals([...ANALYSER_PATTERNS].reverse())).toEqual(forward);
    expect([...forward].sort()).toEqual(forward);
  });

  it.each([/^\s*$/, /\d+/, /x?/, /ok|\d/])("throws naming %s, which has an alternative without a required literal", (pattern) => {
    expect(() => requiredLiterals([pattern])).toThrow(String(pattern));
  });

  it("throws on the i flag, since matches may differ in case from the literals", () => {
    expect(() => requiredLiterals([/foo/i])).toThrow(/\/foo\/i.*\bi flag/);
  });

  it.each(ANALYSER_PATTERNS.map((p) => [p]))("finds a literal in every string %s matches", (pattern) => {
    const literals = requiredLiterals([pattern]);
    fc.assert(
      fc.property(matching(pattern), (s) => literals.some((literal) => s.includes(literal))),
      { numRuns: 300 },
    );
  });

  it("gives the analyser's patterns no literal shorter than 2 UTF-8 bytes", () => {
    const literals = requiredLiterals(ANALYSER_PATTERNS);
    expect(literals.length).toBeGreaterThan(0);
    expect(literals.filter((l) => utf8Length(l) < 2)).toEqual([]);
  });
});
