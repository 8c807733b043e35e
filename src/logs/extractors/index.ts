import { compilerExtractor } from "./compiler.ts";
import { diffExtractor } from "./diff.ts";
import { dotnetExtractor } from "./dotnet.ts";
import { eslintExtractor } from "./eslint.ts";
import { goExtractor } from "./go.ts";
import { infrastructureExtractor } from "./infrastructure.ts";
import { jestExtractor } from "./jest.ts";
import { jvmExtractor } from "./jvm.ts";
import { mochaExtractor } from "./mocha.ts";
import { phpunitExtractor } from "./phpunit.ts";
import { pytestExtractor } from "./pytest.ts";
import { pythonExtractor } from "./python.ts";
import { rspecExtractor } from "./rspec.ts";
import { rustExtractor } from "./rust.ts";
import { tapExtractor } from "./tap.ts";
import type { Extractor } from "./types.ts";
import { vitestExtractor } from "./vitest.ts";

/** A fresh set of extractors for one log (they keep per-log state). */
export function createExtractors(): Extractor[] {
  return [
    vitestExtractor(),
    jestExtractor(),
    mochaExtractor(),
    tapExtractor(),
    pytestExtractor(),
    pythonExtractor(),
    goExtractor(),
    rustExtractor(),
    compilerExtractor(),
    eslintExtractor(),
    jvmExtractor(),
    rspecExtractor(),
    phpunitExtractor(),
    dotnetExtractor(),
    diffExtractor(),
    infrastructureExtractor(),
  ];
}

/**
 * The pre-filter every line goes through: the extractors' trigger alternatives split in two regular expressions,
 * the `^`-anchored ones (tried at column 0 only) and the rest (keywords searched along the line). Most lines fail
 * both at once; only a line that passes is offered to the extractors' own triggers.
 */
export function lineFilter(extractors: readonly Extractor[], extra: RegExp): (line: string) => boolean {
  const anchored: string[] = [];
  const anywhere: string[] = [];
  for (const source of [...extractors.map((e) => e.trigger.source), extra.source]) {
    for (const alternative of topLevelAlternatives(source)) {
      if (alternative.startsWith("^")) anchored.push(alternative.slice(1));
      else anywhere.push(alternative);
    }
  }
  const start = new RegExp(`^(?:${anchored.join("|")})`);
  const inside = new RegExp(anywhere.join("|"));
  return (line) => start.test(line) || inside.test(line);
}

/** Splits a pattern source at its top-level `|` (outside groups, classes and escapes). */
function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === "\\") i += 1;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth += 1;
    else if (c === ")") depth -= 1;
    else if (c === "|" && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}
