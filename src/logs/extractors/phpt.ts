import type { ExtractContext, Extractor } from "./types.ts";
import { clip, excerpt } from "./text.ts";

/** `FAIL sum() adds two numbers [tests/sum.phpt] ` (run-tests.php; a reason may follow in parentheses). */
const FAIL = /^FAIL (.+?) \[([^\]]+\.phpt)\]\s*(?:\((.+)\)\s*)?$/;
/** With `--show-diff`, the diff of what the test printed against what it expects comes just before its FAIL line. */
const DIFF_START = /^=+DIFF=+$/;
const DIFF_END = /^=+DONE=+$/;
const COUNT = /^Tests (failed|passed|skipped)\s*:\s*(\d+)/;

/**
 * PHP's phpt runner (run-tests.php, also `make test` in extensions): `FAIL name [file.phpt]` per failed test, the
 * `========DIFF========` block of its output (`001+` printed, `001-` expected) when `--show-diff` is on, and the
 * `FAILED TEST SUMMARY` that lists the same tests again (read only when no FAIL line was).
 */
export function phptExtractor(): Extractor {
  let diff: string[] | undefined;
  let lastDiff: string[] = [];
  let summary = false;
  let failed = 0;
  let seen = 0;
  const counts = new Map<string, number>();

  function emit(ctx: ExtractContext, title: string, file: string, reason: string | undefined, lines: string[]): void {
    const printed = lines.filter((l) => /^\d{3}\+ /.test(l)).map((l) => l.slice(5).trim()).filter((l) => l !== "");
    ctx.emit({
      kind: "test",
      tool: "phpt",
      title: title.trim(),
      file,
      message: clip(reason ?? printed.find((l) => /^(?:PHP )?Fatal error\b/.test(l)) ?? printed.find((l) => /\b(?:Warning|Error|Exception)\b/.test(l)) ?? printed[0] ?? "the output differs from --EXPECT--"),
      excerpt: excerpt(lines.length > 0 ? lines : [`FAIL ${title} [${file}]`]),
    });
  }

  const ex: Extractor = {
    trigger: /^=+DIFF=+$|^FAIL .* \[.+\.phpt\]|^FAILED TEST SUMMARY$|^Tests (?:failed|passed|skipped)\s*: /,
    active: false,
    feed(line, ctx) {
      if (diff) {
        if (DIFF_END.test(line)) {
          lastDiff = diff;
          diff = undefined;
          ex.active = false;
        } else if (diff.length < 40) diff.push(line);
        return true;
      }
      if (summary) {
        if (/^=+$/.test(line)) {
          summary = false;
          ex.active = false;
          return true;
        }
        const listed = /^(.+?) \[([^\]]+\.phpt)\]\s*(?:reason: (.+))?$/.exec(line);
        if (listed && seen === 0) emit(ctx, listed[1] as string, listed[2] as string, listed[3], []);
        return listed !== null || /^-+$/.test(line);
      }
      if (DIFF_START.test(line)) {
        diff = [];
        ex.active = true;
        return true;
      }
      const fail = FAIL.exec(line);
      if (fail) {
        emit(ctx, fail[1] as string, fail[2] as string, fail[3], lastDiff);
        lastDiff = [];
        seen += 1;
        return true;
      }
      if (line === "FAILED TEST SUMMARY") {
        summary = true;
        ex.active = true;
        return true;
      }
      const count = COUNT.exec(line);
      if (count) {
        counts.set(count[1] as string, Number(count[2]));
        if (count[1] === "failed") failed = Number(count[2]);
        if (count[1] === "passed") ctx.count({ failed, passed: Number(count[2]), skipped: counts.get("skipped") ?? 0 });
        return true;
      }
      return false;
    },
    flush() {
      diff = undefined;
      summary = false;
      ex.active = false;
    },
  };
  return ex;
}
