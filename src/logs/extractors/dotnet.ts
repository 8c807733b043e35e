import { blockReader } from "./block.ts";
import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, message } from "./text.ts";

const FAILED = /^\s*Failed (\S.*?) \[[^\]]*\]$/;
const SUMMARY = /^\s*Failed!\s+-\s+Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)/;
const PASSED_SUMMARY = /^\s*Passed!\s+-\s+Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)/;
const FRAME = /^\s*at .+ in (.+):line (\d+)$/;

/** `dotnet test` (vstest console logger): `Failed Name [5 ms]`, `Error Message:`, `Stack Trace:` with `in file:line N`. */
export function dotnetExtractor(): Extractor {
  const block = blockReader<string>(report, 60);

  const ex: Extractor = {
    trigger: /^\s*Failed \S.* \[[^\]]*\]$|^\s*(?:Failed|Passed)!\s+-\s+Failed:/,
    get active() {
      return block.meta !== undefined;
    },
    feed(line, ctx) {
      const summary = SUMMARY.exec(line) ?? PASSED_SUMMARY.exec(line);
      if (summary) {
        block.close(ctx);
        ctx.count({ failed: Number(summary[1]), passed: Number(summary[2]), skipped: Number(summary[3]) });
        return true;
      }
      const failed = FAILED.exec(line);
      if (failed) {
        block.start(failed[1] as string, ctx);
        return true;
      }
      if (block.meta === undefined) return false;
      if (/^\s*(?:Passed|Skipped) \S/.test(line) || line.trim() === "" || /^\s*Standard Output Messages:/.test(line)) {
        block.close(ctx);
        return line.trim() === "";
      }
      block.take(line);
      return true;
    },
    flush(ctx) {
      block.close(ctx);
    },
  };

  function report(title: string, lines: string[], ctx: ExtractContext): void {
    const traceAt = lines.findIndex((l) => /^\s*Stack Trace:/.test(l));
    const messageLines = (traceAt === -1 ? lines : lines.slice(0, traceAt)).filter((l) => !/^\s*Error Message:/.test(l));
    const frame = lines.map((l) => FRAME.exec(l)).find((m) => m);
    ctx.emit({
      kind: "test",
      tool: "dotnet test",
      title,
      file: frame?.[1],
      line: frame ? Number(frame[2]) : undefined,
      message: message(messageLines, 4),
      excerpt: excerpt(lines),
    });
  }

  return ex;
}
