import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, message } from "./text.ts";

const FAILED = /^\s*Failed (\S.*?) \[[^\]]*\]$/;
const SUMMARY = /^\s*Failed!\s+-\s+Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)/;
const PASSED_SUMMARY = /^\s*Passed!\s+-\s+Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)/;
const FRAME = /^\s*at .+ in (.+):line (\d+)$/;

/** `dotnet test` (vstest console logger): `Failed Name [5 ms]`, `Error Message:`, `Stack Trace:` with `in file:line N`. */
export function dotnetExtractor(): Extractor {
  let block: { title: string; lines: string[] } | undefined;

  const ex: Extractor = {
    trigger: /^\s*Failed \S.* \[[^\]]*\]$|^\s*(?:Failed|Passed)!\s+-\s+Failed:/,
    active: false,
    feed(line, ctx) {
      const summary = SUMMARY.exec(line) ?? PASSED_SUMMARY.exec(line);
      if (summary) {
        close(ctx);
        ctx.count({ failed: Number(summary[1]), passed: Number(summary[2]), skipped: Number(summary[3]) });
        return true;
      }
      const failed = FAILED.exec(line);
      if (failed) {
        close(ctx);
        block = { title: failed[1] as string, lines: [] };
        ex.active = true;
        return true;
      }
      if (!block) return false;
      if (/^\s*(?:Passed|Skipped) \S/.test(line) || line.trim() === "" || /^\s*Standard Output Messages:/.test(line)) {
        close(ctx);
        return line.trim() === "";
      }
      if (block.lines.length < 60) block.lines.push(line);
      return true;
    },
    flush(ctx) {
      close(ctx);
    },
  };

  function close(ctx: ExtractContext): void {
    if (!block) return;
    const { title, lines } = block;
    block = undefined;
    ex.active = false;
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
