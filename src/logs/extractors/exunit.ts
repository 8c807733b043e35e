import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, indentOf, message } from "./text.ts";

/** `  1) test subtracts (CalcTest)`; also `doctest`, `property` and describe-prefixed names. */
const HEADER = /^(\s+)\d+\) ((?:test|doctest|property) .+) \(([\w.]+)\)$/;
/** The test's own place, right under the header: `     test/calc_test.exs:8`. */
const PLACE = /^\s+(\S+\.exs?):(\d+)$/;
const TOTAL = /^(\d+) (?:tests?|properties?, \d+ tests?|doctests?, \d+ tests?)(?:, (\d+) failures?)?(?:, (\d+) (?:skipped|excluded))?/;
/** A compile error stops mix before any test: `** (CompileError) lib/calc.ex:3: undefined function c/0 …`. */
const COMPILE = /^\*\* \((\w*Error)\) (\S+?\.exs?):(\d+)(?::(\d+))?: (.+)$/;

/**
 * ExUnit (`mix test`): `N) test name (Module)`, the test's file:line, the assertion (`code:`, `left:`, `right:`) or
 * the exception, and its `stacktrace:`, all indented under the header; plus the compile error that stops a run.
 */
export function exunitExtractor(): Extractor {
  let open: { title: string; indent: number; lines: string[] } | undefined;

  function close(ctx: ExtractContext): void {
    if (!open) return;
    const { title, lines } = open;
    open = undefined;
    ex.active = false;
    const place = PLACE.exec(lines[0] ?? "");
    const body = place ? lines.slice(1) : lines;
    const stack = body.findIndex((l) => l.trim() === "stacktrace:");
    const reason = stack === -1 ? body : body.slice(0, stack);
    const crash = reason.some((l) => /^\s*\*\* \(\w+\)/.test(l));
    ctx.emit({
      kind: crash ? "crash" : "test",
      tool: "exunit",
      title,
      file: place?.[1],
      line: place ? Number(place[2]) : undefined,
      message: message(reason, 4),
      excerpt: excerpt(body),
    });
  }

  const ex: Extractor = {
    trigger: /^\s+\d+\) (?:test|doctest|property) .* \([\w.]+\)$|^\d+ (?:tests?|propert|doctest).*, \d+ failures?|^\*\* \(\w*Error\) /,
    active: false,
    feed(line, ctx) {
      if (open) {
        if (line.trim() === "" || indentOf(line) > open.indent) {
          if (line.trim() === "" && open.lines.at(-1)?.trim() === "") {
            close(ctx);
            return true;
          }
          if (open.lines.length < 60) open.lines.push(line);
          return true;
        }
        close(ctx);
      }
      const header = HEADER.exec(line);
      if (header) {
        open = { title: `${header[2]} (${header[3]})`, indent: (header[1] as string).length, lines: [] };
        ex.active = true;
        return true;
      }
      const total = TOTAL.exec(line);
      if (total) {
        const failed = Number(total[2] ?? 0);
        const skipped = total[3] === undefined ? undefined : Number(total[3]);
        ctx.count({ failed, passed: Number(total[1]) - failed - (skipped ?? 0), skipped });
        return true;
      }
      const compile = COMPILE.exec(line);
      if (compile) {
        const [, kind, file, row, col, text] = compile as unknown as [string, string, string, string, string | undefined, string];
        ctx.emit({
          kind: "compile",
          tool: "elixir",
          title: `${kind}: ${text}`,
          file,
          line: Number(row),
          column: col === undefined ? undefined : Number(col),
          message: text,
          excerpt: excerpt([...ctx.previous(1).filter((l) => l.startsWith("== Compilation error")), line]),
        });
        return true;
      }
      return false;
    },
    flush(ctx) {
      close(ctx);
    },
  };
  return ex;
}
