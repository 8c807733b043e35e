import type { ExtractContext, Extractor } from "./types.ts";
import { countWords, excerpt, firstAppFrame, message } from "./text.ts";

const BULLET = /^\s*● (.+)$/;
const SUITE = /^\s*(FAIL|PASS)\s+(\S+)/;
const SUMMARY = /^Tests:\s+(.*)$/;
const END = /^(?:Test Suites|Tests|Snapshots|Time|Ran all test suites)\b/;
const CODE_FRAME = /^\s*>?\s*\d+ \|/;

/** jest: `● suite › test` blocks under a `FAIL file` header; the end-of-run summary repeats them and is skipped. */
export function jestExtractor(): Extractor {
  let file: string | undefined;
  let block: string[] | undefined;
  let inSummary = false;

  const ex: Extractor = {
    trigger: /^\s*●\s|^\s*FAIL\s|^Tests:\s|^Summary of all failing tests/,
    active: false,
    feed(line, ctx) {
      if (line.startsWith("Summary of all failing tests")) {
        close(ctx);
        inSummary = true;
        ex.active = true;
        return true;
      }
      const summary = SUMMARY.exec(line);
      if (summary) {
        ex.flush(ctx);
        const words = countWords(summary[1] as string);
        ctx.count({ failed: words.get("failed") ?? 0, passed: words.get("passed"), skipped: words.get("skipped") });
        return true;
      }
      const suite = SUITE.exec(line);
      if (suite) {
        close(ctx);
        file = suite[1] === "FAIL" && !line.includes(" > ") ? suite[2] : undefined;
        ex.active = file !== undefined && !inSummary;
        return ex.active;
      }
      const bullet = BULLET.exec(line);
      if (bullet) {
        close(ctx);
        if (inSummary) return true;
        block = [line];
        ex.active = true;
        return true;
      }
      if (!ex.active) return false;
      if (END.test(line)) {
        ex.flush(ctx);
        return false;
      }
      if (block && block.length < 120) block.push(line);
      return true;
    },
    flush(ctx) {
      close(ctx);
      ex.active = false;
      inSummary = false;
      file = undefined;
    },
  };

  function close(ctx: ExtractContext): void {
    if (!block) return;
    const [head, ...body] = block;
    block = undefined;
    const title = (BULLET.exec(head as string)?.[1] ?? "").trim();
    const suiteError = title === "Test suite failed to run";
    // A suite that does not load comes with jest's advice on transforms; the error itself follows "Details:".
    const details = suiteError ? body.findIndex((l) => l.trim() === "Details:") : -1;
    const shown = details === -1 ? body : body.slice(details + 1);
    const stop = shown.findIndex((l) => CODE_FRAME.test(l) || /^\s*at /.test(l));
    const where = suiteError ? shown.map((l) => /^\s*(\S+?):(\d+)$/.exec(l)).find((m) => m) : undefined;
    const frame = where ? { file: where[1] as string, line: Number(where[2]), column: undefined } : firstAppFrame(shown);
    ctx.emit({
      kind: suiteError ? "crash" : "test",
      tool: "jest",
      title: suiteError ? `${file ?? "test suite"} failed to run` : title,
      file: frame?.file ?? file,
      line: frame?.line,
      column: frame?.column,
      message: message((stop === -1 ? shown : shown.slice(0, stop)).filter((l) => l !== where?.[0]), 4),
      excerpt: excerpt(shown),
    });
  }

  return ex;
}
