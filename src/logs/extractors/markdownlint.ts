import type { Extractor } from "./types.ts";

/**
 * markdownlint-cli and markdownlint-cli2: `docs/README.md:6:1 MD004/ul-style Unordered list style [Expected: …]`
 * (cli2 may put `error` before the rule). Rule numbers run from MD001 to MD060, so `MD0` is in every line.
 */
const FINDING = /^(\S.*?):(\d+)(?::(\d+))? (?:error )?(MD0\d\d)\/([\w-]+(?:\/[\w-]+)*) (.+)$/;

export function markdownlintExtractor(): Extractor {
  return {
    trigger: /:\d+(?::\d+)? (?:error )?MD0\d\d\//,
    active: false,
    feed(line, ctx) {
      const m = FINDING.exec(line);
      if (!m) return false;
      const [, file, row, col, rule, alias, text] = m as unknown as [string, string, string, string | undefined, string, string, string];
      ctx.emit({
        kind: "lint",
        tool: "markdownlint",
        title: `${rule}/${alias}: ${text.replace(/ \[(?:Expected|Context)[^\]]*\]/g, "")}`,
        file,
        line: Number(row),
        ...(col === undefined ? {} : { column: Number(col) }),
        message: text,
        excerpt: [line.trimEnd()],
      });
      return true;
    },
    flush() {},
  };
}
