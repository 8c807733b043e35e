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

/** One regular expression that any line some idle extractor wants matches; most lines fail it at once. */
export function unionTrigger(extractors: readonly Extractor[]): RegExp {
  return new RegExp(extractors.map((e) => `(?:${e.trigger.source})`).join("|"));
}
