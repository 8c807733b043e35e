import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { clip } from "./text.ts";

/** editorconfig-checker: the file as `path:`, then one tab-indented line per problem, with its line when it has one. */
const EC_PROBLEM =
  /^\s+(?:(\d+): )?((?:Wrong (?:indent style found|amount of left-padding spaces|line endings|character encoding)|Trailing whitespace|(?:No f|F)inal newline expected|Not all lines have the correct end of line|Line too long \().*)$/;
const EC_FILE = /^(\S.*):$/;
/** eclint: the file on its own line, then `    02:01 ❌ invalid indent style: tab, expected: space`, the rule under it. */
const ECLINT_PROBLEM = /^\s+(\d+):(\d+) ❌ (.+)$/;
const ECLINT_RULE = /^\s+\(EditorConfig (\w+)\s/;

/** EditorConfig checkers (editorconfig-checker, eclint): each problem is a file, usually a line, and the rule broken. */
export function editorconfigExtractor(): Extractor {
  let eclint: Draft | undefined;

  function emitEclint(ctx: ExtractContext): void {
    if (eclint) ctx.emit(eclint);
    eclint = undefined;
    ex.active = false;
  }

  /** The nearest line above that names a file (both tools print it once before its problems). */
  function fileAbove(ctx: ExtractContext, pattern: RegExp): string | undefined {
    for (const l of ctx.previous(60).reverse()) {
      if (/^\s/.test(l) || l.trim() === "") continue;
      return pattern.exec(l)?.[1];
    }
    return undefined;
  }

  const ex: Extractor = {
    trigger:
      /^\s+\d+: (?:Wrong |Trailing whitespace|(?:No f|F)inal newline expected|Not all lines have|Line too long \()|^\s+(?:Wrong |Trailing whitespace|(?:No f|F)inal newline expected|Not all lines have|Line too long \()|^\s+\d+:\d+ ❌ /,
    active: false,
    feed(line, ctx) {
      if (eclint) {
        const rule = ECLINT_RULE.exec(line);
        if (rule) {
          eclint.title = `${eclint.title} (${rule[1]})`;
          eclint.excerpt.push(clip(line.trim()));
          emitEclint(ctx);
          return true;
        }
        emitEclint(ctx);
      }
      const e = ECLINT_PROBLEM.exec(line);
      if (e) {
        const [, row, col, text] = e as unknown as [string, string, string, string];
        eclint = { kind: "format", tool: "eclint", title: text.trim(), file: fileAbove(ctx, /^(\S.*)$/), line: Number(row), column: Number(col), message: text.trim(), excerpt: [clip(line.trim())] };
        ex.active = true;
        return true;
      }
      const p = EC_PROBLEM.exec(line);
      if (!p) return false;
      const text = (p[2] as string).trim();
      ctx.emit({
        kind: "format",
        tool: "editorconfig-checker",
        title: text,
        file: fileAbove(ctx, EC_FILE),
        line: p[1] === undefined ? undefined : Number(p[1]),
        message: text,
        excerpt: [clip(line.trim())],
      });
      return true;
    },
    flush(ctx) {
      emitEclint(ctx);
    },
  };
  return ex;
}
