import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { clip, excerpt, message } from "./text.ts";

/** Scala 2 / Java through zinc: `[error] /src/Main.scala:3:15: type mismatch;` (sbt 0.13: no column). */
const DIAGNOSTIC = /^\[error\] ((?:[A-Za-z]:)?[^\s:][^:]*\.(?:scala|java|sbt)):(\d+)(?::(\d+))?: (.+)$/;
/** Scala 3: `[error] -- [E007] Type Mismatch Error: src/Main.scala:3:15 -----`. */
const DIAGNOSTIC_3 = /^\[error\] -- (?:\[(E\d+)\] )?(.+?): ((?:[A-Za-z]:)?[^\s:][^:]*\.(?:scala|java|sbt)):(\d+):(\d+) -*$/;
/** A task's failure: `[error] (Compile / compileIncremental) Compilation failed`. */
const TASK = /^\[error\] \(([^)]+)\) (.+)$/;
/** Lines that only count or time what came before. */
const SUMMARY = /^\[error\] (?:\w+ errors? found|Total time: |Failed: Total |Error: Total |Failed tests:|Error during tests:|\s*$)/;
/** Task failures that point at diagnostics or tests already printed above. */
const POINTER = /^(?:Compilation failed|sbt\.TestsFailedException: Tests unsuccessful|Tests unsuccessful)$/;
/** ScalaTest: `[info] - subtracts *** FAILED ***` and its indented reason. */
const SCALATEST = /^\[info\] (\s*)- (.+?) \*\*\* FAILED \*\*\*(?: \(.*\))?$/;
/** ScalaTest's totals: `[info] Tests: succeeded 1, failed 1, canceled 0, ignored 0, pending 0`. */
const SCALATEST_TOTAL = /^\[info\] Tests: succeeded (\d+), failed (\d+), canceled (\d+), ignored (\d+)/;

/**
 * sbt: compiler diagnostics (each line prefixed `[error]`, the code and caret under the headline), ScalaTest
 * failures (`*** FAILED ***` with the reason indented under it) and the failed task (`[error] (scope / task) …`),
 * which is the cause only when nothing printed above explains it.
 */
export function sbtExtractor(): Extractor {
  let open: { draft: Draft; lines: string[]; prefix: string; indent?: number } | undefined;

  function close(ctx: ExtractContext): void {
    if (!open) return;
    const { draft, lines } = open;
    open = undefined;
    ex.active = false;
    draft.excerpt = excerpt(lines);
    if (draft.kind === "test") draft.message = message(lines.slice(1), 4);
    // scalac's `type mismatch;` goes on with what was found and what was required.
    else if (draft.message.endsWith(";")) draft.message = message([draft.message, ...lines.filter((l) => /^\s*(?:found|required)\s*:/.test(l))], 3);
    ctx.emit(draft);
  }

  const ex: Extractor = {
    trigger: /^\[error\] |^\[info\] \s*- .* \*\*\* FAILED \*\*\*|^\[info\] Tests: succeeded /,
    active: false,
    feed(line, ctx) {
      if (open) {
        if (open.prefix === "[error]" && line.startsWith("[error] ") && !SUMMARY.test(line) && !TASK.test(line) && !DIAGNOSTIC.test(line) && !DIAGNOSTIC_3.test(line)) {
          if (open.lines.length < 30) open.lines.push(line.slice(8));
          return true;
        }
        if (open.prefix === "[info]" && line.startsWith("[info] ")) {
          const body = line.slice(7);
          const indent = /^ */.exec(body)?.[0].length ?? 0;
          if (body.trim() !== "" && indent > (open.indent ?? 0) && !SCALATEST.test(line)) {
            if (open.lines.length < 30) open.lines.push(body);
            return true;
          }
        }
        close(ctx);
      }
      const diag = DIAGNOSTIC.exec(line);
      const diag3 = diag ? null : DIAGNOSTIC_3.exec(line);
      if (diag || diag3) {
        const [file, row, col, text, code] = diag
          ? [diag[1], diag[2], diag[3], diag[4], undefined]
          : [diag3?.[3], diag3?.[4], diag3?.[5], diag3?.[2], diag3?.[1]];
        const title = (text as string).trim();
        open = {
          draft: {
            kind: "compile",
            tool: /\.java$/.test(file as string) ? "javac" : "scalac",
            title: code ? `${code}: ${title}` : title,
            file,
            line: Number(row),
            column: col === undefined ? undefined : Number(col),
            message: title,
            excerpt: [],
          },
          lines: [line.slice(8)],
          prefix: "[error]",
        };
        ex.active = true;
        return true;
      }
      const total = SCALATEST_TOTAL.exec(line);
      if (total) {
        const [passed, failed, canceled, ignored] = total.slice(1).map(Number) as [number, number, number, number];
        ctx.count({ passed, failed, skipped: canceled + ignored });
        return true;
      }
      const test = SCALATEST.exec(line);
      if (test) {
        // ScalaTest prints the subject (`[info] Calc`) above its tests, and the suite (`[info] CalcSpec:`) above that.
        const subject = ctx
          .previous(30)
          .reverse()
          .find((l) => /^\[info\] \S/.test(l) && !/^\[info\] - |:$/.test(l));
        const name = (test[2] as string).trim();
        open = {
          draft: { kind: "test", tool: "scalatest", title: subject ? `${subject.slice(7).trim()} ${name}` : name, message: "", excerpt: [] },
          lines: [line.slice(7).trim()],
          prefix: "[info]",
          indent: (test[1] as string).length,
        };
        ex.active = true;
        return true;
      }
      const task = TASK.exec(line);
      if (task) {
        const text = (task[2] as string).trim();
        if (POINTER.test(text) && ctx.emitted() > 0) return true;
        ctx.emit({ kind: "error", tool: "sbt", title: clip(`${task[1]}: ${text}`, 300), message: clip(text), excerpt: [clip(line)] });
        return true;
      }
      return SUMMARY.test(line);
    },
    flush(ctx) {
      close(ctx);
    },
  };
  return ex;
}
