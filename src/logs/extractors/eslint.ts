import type { Draft, Extractor } from "./types.ts";

// stylelint prints ✖ and ⚠ where eslint prints error and warning.
const PROBLEM = /^\s+(\d+):(\d+)\s+(error|warning|✖|⚠)\s+(.+?)(?:\s{2,}(\S+))?\s*$/;
const TOO_MANY_WARNINGS = /^ESLint found too many warnings/;
const MAX_WARNINGS = 20;

/**
 * eslint's stylish output: a file path alone on a line, then `line:col  error  message  rule` rows (yamllint's
 * standard output and stylelint's string formatter have the same shape). Errors are failures; warnings only when
 * the run failed on `--max-warnings`.
 */
export function eslintExtractor(): Extractor {
  const warnings: Draft[] = [];

  const ex: Extractor = {
    trigger: /^\s+\d+:\d+\s+(?:error|warning|✖|⚠)\s{2}|^ESLint found too many warnings/,
    active: false,
    feed(line, ctx) {
      if (TOO_MANY_WARNINGS.test(line)) {
        for (const w of warnings) ctx.emit(w);
        warnings.length = 0;
        return true;
      }
      const m = PROBLEM.exec(line);
      if (!m) return false;
      const file = ctx
        .previous(60)
        .findLast((l) => l.trim() !== "" && !/^\s/.test(l))
        ?.trim();
      const [, row, col, severity, text, named] = m;
      // yamllint prints the same table with its rule in parentheses, stylelint with symbols for severities.
      const yaml = named !== undefined && /^\(.+\)$/.test(named);
      const rule = yaml ? named?.slice(1, -1) : named;
      const draft: Draft = {
        kind: "lint",
        tool: yaml ? "yamllint" : severity === "✖" || severity === "⚠" ? "stylelint" : "eslint",
        title: rule ? `${text} (${rule})` : (text as string),
        file,
        line: Number(row),
        column: Number(col),
        message: text as string,
        excerpt: file ? [file, line.trimEnd()] : [line.trimEnd()],
      };
      if (severity === "error" || severity === "✖") ctx.emit(draft);
      else if (warnings.length < MAX_WARNINGS) warnings.push(draft);
      return true;
    },
    flush() {
      warnings.length = 0;
    },
  };
  return ex;
}
