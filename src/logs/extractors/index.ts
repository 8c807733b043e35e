import { cmakeExtractor } from "./cmake.ts";
import { cocoapodsExtractor } from "./cocoapods.ts";
import { commonTestExtractor } from "./common-test.ts";
import { compilerExtractor } from "./compiler.ts";
import { diffExtractor } from "./diff.ts";
import { dockerExtractor } from "./docker.ts";
import { dotnetExtractor } from "./dotnet.ts";
import { editorconfigExtractor } from "./editorconfig.ts";
import { eslintExtractor } from "./eslint.ts";
import { exunitExtractor } from "./exunit.ts";
import { goExtractor } from "./go.ts";
import { gradleExtractor } from "./gradle.ts";
import { jestExtractor } from "./jest.ts";
import { jvmExtractor } from "./jvm.ts";
import { karmaExtractor } from "./karma.ts";
import { markdownlintExtractor } from "./markdownlint.ts";
import { minitestExtractor } from "./minitest.ts";
import { mochaExtractor } from "./mocha.ts";
import { npmExtractor } from "./npm.ts";
import { perlcriticExtractor } from "./perlcritic.ts";
import { pesterExtractor } from "./pester.ts";
import { phptExtractor } from "./phpt.ts";
import { phpunitExtractor } from "./phpunit.ts";
import { preCommitExtractor } from "./pre-commit.ts";
import { pytestExtractor } from "./pytest.ts";
import { pythonLintExtractor } from "./python-lint.ts";
import { pythonExtractor } from "./python.ts";
import { rspecExtractor } from "./rspec.ts";
import { rubocopExtractor } from "./rubocop.ts";
import { rustExtractor } from "./rust.ts";
import { sbtExtractor } from "./sbt.ts";
import { shellcheckExtractor } from "./shellcheck.ts";
import { tapExtractor } from "./tap.ts";
import type { Extractor } from "./types.ts";
import { viteExtractor } from "./vite.ts";
import { vitestExtractor } from "./vitest.ts";
import { webpackExtractor } from "./webpack.ts";
import { xcodebuildExtractor } from "./xcodebuild.ts";

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
    cmakeExtractor(),
    webpackExtractor(),
    viteExtractor(),
    eslintExtractor(),
    pythonLintExtractor(),
    shellcheckExtractor(),
    markdownlintExtractor(),
    jvmExtractor(),
    rspecExtractor(),
    rubocopExtractor(),
    phpunitExtractor(),
    dotnetExtractor(),
    diffExtractor(),
    preCommitExtractor(),
    npmExtractor(),
    cocoapodsExtractor(),
    commonTestExtractor(),
    dockerExtractor(),
    editorconfigExtractor(),
    exunitExtractor(),
    gradleExtractor(),
    karmaExtractor(),
    minitestExtractor(),
    perlcriticExtractor(),
    pesterExtractor(),
    phptExtractor(),
    sbtExtractor(),
    xcodebuildExtractor(),
  ];
}

/**
 * Whether a line the analyser reads may start an extractor's block: the extractors' trigger alternatives, split
 * into those anchored at the line start (grouped by the first character they can match after leading blanks, so a
 * line is tried only against the few that can start like it) and keywords searched along the line. Only a line
 * that passes is offered to the extractors' own triggers.
 */
export function lineFilter(extractors: readonly Extractor[], extra: RegExp): (line: string) => boolean {
  const start = startFilter(extractors, extra);
  const inside = new RegExp(alternatives(extractors, extra).anywhere.join("|"));
  return (line) => start(line) || inside.test(line);
}

/** The anchored half of `lineFilter`. */
function startFilter(extractors: readonly Extractor[], extra: RegExp): (line: string) => boolean {
  const { byFirst } = alternatives(extractors, extra);
  const starts = new Map([...byFirst].map(([c, list]) => [c, new RegExp(`^(?:${list.join("|")})`)]));
  return (line) => {
    let i = 0;
    let c = line.charCodeAt(0);
    while (c === 32 || c === 9) c = line.charCodeAt((i += 1));
    const start = starts.get(c);
    return start !== undefined && start.test(line);
  };
}

function alternatives(extractors: readonly Extractor[], extra: RegExp): { byFirst: Map<number, string[]>; anywhere: string[] } {
  const byFirst = new Map<number, string[]>();
  const anywhere: string[] = [];
  for (const source of [...extractors.map((e) => e.trigger.source), extra.source]) {
    for (const alternative of topLevelAlternatives(source)) {
      if (!alternative.startsWith("^")) {
        anywhere.push(alternative);
        continue;
      }
      const body = alternative.slice(1);
      for (const c of firstChars(body.replace(/^\\s[*+]/, ""))) {
        const list = byFirst.get(c) ?? [];
        list.push(body);
        byFirst.set(c, list);
      }
    }
  }
  return { byFirst, anywhere };
}

/** The characters a pattern's first atom can match: a literal, an escape, `\\d`, or a group of such alternatives. */
function firstChars(pattern: string): number[] {
  const c = pattern[0];
  if (c === "(") {
    const close = matchingParen(pattern);
    const inner = pattern.slice(pattern.startsWith("(?:") ? 3 : 1, close);
    return topLevelAlternatives(inner).flatMap(firstChars);
  }
  if (c === "\\") {
    const e = pattern[1] as string;
    if (e === "d") return [..."0123456789"].map((d) => d.charCodeAt(0));
    if (/[A-Za-z]/.test(e)) throw new Error(`trigger alternative needs a literal first character: ${pattern}`);
    return [e.charCodeAt(0)];
  }
  if (c === undefined || c === "[" || c === ".") throw new Error(`trigger alternative needs a literal first character: ${pattern}`);
  return [c.codePointAt(0) as number].map((cp) => (cp > 0xffff ? (c.charCodeAt(0) as number) : cp));
}

function matchingParen(pattern: string): number {
  let depth = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern[i] === "\\") i += 1;
    else if (pattern[i] === "(") depth += 1;
    else if (pattern[i] === ")" && (depth -= 1) === 0) return i;
  }
  return pattern.length;
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
