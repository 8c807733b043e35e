import type { Extractor } from "./types.ts";

/**
 * Python linters' one-line format, `path:line:col: CODE message`: flake8 and pycodestyle (`E501`), pyflakes
 * codes (`F401`), ruff (same codes, `[*]` when it can fix them), pylint (`C0114:`). Every line is a failure: these
 * tools fail the run on any finding they print.
 */
const FINDING = /^(\S[^:]*?\.pyi?):(\d+):(\d+): ([A-Z]{1,3}\d{3,4}):? (?:\[\*\] )?(.+)$/;

export function pythonLintExtractor(): Extractor {
  return {
    trigger: /\.pyi?:\d+:\d+: [A-Z]{1,3}\d{3,4}:? /,
    active: false,
    feed(line, ctx) {
      const m = FINDING.exec(line);
      if (!m) return false;
      const [, file, row, col, code, message] = m as unknown as [string, string, string, string, string, string];
      const tool = toolOf(code, ctx.step());
      ctx.emit({
        kind: "lint",
        tool,
        title: `${code} ${message}`,
        file,
        line: Number(row),
        // pylint counts columns from 0, the others from 1.
        column: Number(col) + (tool === "pylint" ? 1 : 0),
        message,
        excerpt: [line.trimEnd()],
      });
      return true;
    },
    flush() {},
  };
}

/** The step's command names the tool when it can; pylint's codes have four digits, the others three. */
function toolOf(code: string, step: string): string {
  for (const tool of ["ruff", "pylint", "flake8", "pycodestyle", "pyflakes"]) if (step.includes(tool)) return tool;
  return /^[A-Z]\d{4}$/.test(code) ? "pylint" : "flake8";
}
