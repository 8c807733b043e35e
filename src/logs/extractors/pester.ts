import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, indentOf, message } from "./text.ts";

/** `  [-] subtracts 15ms (13ms|2ms)` (Pester 5) or `    [-] subtracts 15ms` (Pester 4). */
const FAILED = /^(\s*)\[-\] (.+?)(?: \d+(?:\.\d+)?m?s(?: \(\d+(?:\.\d+)?m?s\|\d+(?:\.\d+)?m?s\))?)?$/;
/** `at $result | Should -Be 2, /src/Calc.Tests.ps1:9` (Pester 5) or `at <ScriptBlock>, /src/Calc.Tests.ps1: line 9` (Pester 4). */
const PLACE = /^\s*at .*?, (.+?\.ps[md]?1):(?: line )?(\d+)$/;
/** `Tests Passed: 1, Failed: 1, Skipped: 0 NotRun: 0` (Pester 5) or `…, Pending: 0, Inconclusive: 0` (Pester 4). */
const TOTAL = /^Tests Passed: (\d+), Failed: (\d+), Skipped: (\d+)/;
/** Pester 5 names the block that failed outside a test: `[-] Describe Calc failed`. */
const BLOCK = /^(?:Describe|Context) (.+) failed$/;

/** Pester (PowerShell): a `[-]` line per failed test, the reason and the stack indented under it, then the totals. */
export function pesterExtractor(): Extractor {
  let open: { title: string; indent: number; lines: string[] } | undefined;

  function close(ctx: ExtractContext): void {
    if (!open) return;
    const { title, lines } = open;
    open = undefined;
    ex.active = false;
    const place = lines.map((l) => PLACE.exec(l)).find((m) => m);
    const reason = lines.filter((l) => !/^\s*at /.test(l));
    const block = BLOCK.exec(title);
    ctx.emit({
      kind: block ? "crash" : "test",
      tool: "pester",
      title: block ? (block[1] as string) : title,
      file: place?.[1],
      line: place ? Number(place[2]) : undefined,
      message: message(reason, 4) || title,
      excerpt: excerpt(lines),
    });
  }

  const ex: Extractor = {
    trigger: /^\s*\[-\] |^Tests Passed: \d+, Failed: /,
    active: false,
    feed(line, ctx) {
      if (open) {
        if (line.trim() !== "" && indentOf(line) > open.indent && !FAILED.test(line)) {
          if (open.lines.length < 40) open.lines.push(line);
          return true;
        }
        close(ctx);
      }
      const total = TOTAL.exec(line);
      if (total) {
        ctx.count({ passed: Number(total[1]), failed: Number(total[2]), skipped: Number(total[3]) });
        return true;
      }
      const failed = FAILED.exec(line);
      if (!failed) return false;
      open = { title: (failed[2] as string).trim(), indent: (failed[1] as string).length, lines: [] };
      ex.active = true;
      return true;
    },
    flush(ctx) {
      close(ctx);
    },
  };
  return ex;
}
