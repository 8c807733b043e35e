import type { Extractor } from "./types.ts";
import { clip } from "./text.ts";

/**
 * One violation in perlcritic's default formats (verbosity 4 with several files, 5 with one, 8 with the policy):
 * `lib/Calc.pm: Code before strictures are enabled at line 3, column 1.  See page 429 of PBP.  (Severity: 5)`.
 */
const VIOLATION = /^(?:(\S.*?): )?(?:\[([\w:]+)\] )?(.+?) at line (\d+), column (\d+)\.(?:\s+(.+?)\.)?\s+\(Severity: (\d)\)$/;

/** perlcritic: one line per violation, each failing the run; `file source OK` lines are passing files. */
export function perlcriticExtractor(): Extractor {
  return {
    trigger: / at line \d+, column \d+\..*\(Severity: \d\)$/,
    active: false,
    feed(line, ctx) {
      const m = VIOLATION.exec(line);
      if (!m) return false;
      const [, file, policy, text, row, col, explanation, severity] = m as unknown as [string, string | undefined, string | undefined, string, string, string, string | undefined, string];
      ctx.emit({
        kind: "lint",
        tool: "perlcritic",
        title: policy ? `${policy}: ${text}` : text,
        file,
        line: Number(row),
        column: Number(col),
        message: [text, explanation, `severity ${severity}`].filter(Boolean).join("\n"),
        excerpt: [clip(line)],
      });
      return true;
    },
    flush() {},
  };
}
