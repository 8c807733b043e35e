import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, message } from "./text.ts";

/** `  1) Failure:` / `  2) Error:` opens a block; the next line names the test. */
const HEADER = /^\s*\d+\) (Failure|Error):$/;
/** `CalcTest#test_sub [test/calc_test.rb:10]:` (failures) or `CalcTest#test_div:` (errors). */
const TEST = /^(\S.*?#\S+?)(?: \[(.+?):(\d+)\])?:$/;
/** A backtrace line of the error: `    test/calc_test.rb:14:in `test_div'`. */
const FRAME = /^\s+(\S+?\.rb):(\d+):in /;
const TOTAL = /^(\d+) (?:runs|tests), (\d+) assertions, (\d+) failures, (\d+) errors, (\d+) skips$/;

/**
 * Minitest (and `rails test`, which prints the same blocks): `N) Failure:` or `N) Error:`, the test as
 * `Class#method [file:line]:`, the message (Expected/Actual, or the exception and its backtrace), a blank line.
 */
export function minitestExtractor(): Extractor {
  let open: { kind: "Failure" | "Error"; lines: string[] } | undefined;

  function close(ctx: ExtractContext): void {
    if (!open) return;
    const { kind, lines } = open;
    open = undefined;
    ex.active = false;
    const test = TEST.exec(lines[0] ?? "");
    if (!test) return;
    const body = lines.slice(1);
    // An error's place is the first backtrace line in the project (not a gem), as the test file shows it.
    const frame = kind === "Error" ? body.map((l) => FRAME.exec(l)).find((m) => m && !/\/gems\//.test(m[1] as string)) : undefined;
    ctx.emit({
      kind: kind === "Error" ? "crash" : "test",
      tool: "minitest",
      title: test[1] as string,
      file: test[2] ?? frame?.[1],
      line: test[3] !== undefined ? Number(test[3]) : frame ? Number(frame[2]) : undefined,
      message: message(body.filter((l) => !FRAME.test(l)), 4),
      excerpt: excerpt(body),
    });
  }

  const ex: Extractor = {
    trigger: /^\s*\d+\) (?:Failure|Error):$|^\d+ (?:runs|tests), \d+ assertions, /,
    active: false,
    feed(line, ctx) {
      const total = TOTAL.exec(line);
      if (total) {
        close(ctx);
        const [runs, , failures, errors, skips] = total.slice(1).map(Number) as [number, number, number, number, number];
        ctx.count({ failed: failures + errors, passed: runs - failures - errors - skips, skipped: skips });
        return true;
      }
      const header = HEADER.exec(line);
      if (header) {
        close(ctx);
        open = { kind: header[1] as "Failure" | "Error", lines: [] };
        ex.active = true;
        return true;
      }
      if (!open) return false;
      if (line.trim() === "" && open.lines.length > 1) {
        close(ctx);
        return true;
      }
      if (open.lines.length < 60) open.lines.push(line);
      return true;
    },
    flush(ctx) {
      close(ctx);
    },
  };
  return ex;
}
