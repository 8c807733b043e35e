import { blockReader } from "./block.ts";
import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { clip, excerpt, firstSentences } from "./text.ts";

/** `CMake Error at <file>:<line> (<command>):`, `CMake Error at <file>:<line>:` (parse errors), `CMake Error in <file>:` and `CMake Error: <message>`. */
const HEAD = /^CMake Error(?: at (.+?):(\d+)(?: \([^)]*\))?:| in (.+?):|: (.+))\s*$/;

/**
 * CMake's configure and generate errors: a headline naming the file and line, then the message indented by two
 * spaces (paragraphs separated by blank lines) until the next line that is not indented.
 */
export function cmakeExtractor(): Extractor {
  const block = blockReader<{ head: string; file?: string; line?: number; text?: string }>(report, 60);

  function report({ head, file, line, text }: { head: string; file?: string; line?: number; text?: string }, body: string[], ctx: ExtractContext): void {
    const message = [text ?? "", ...body].map((l) => l.trim()).filter((l) => l !== "").join(" ").replace(/\s+/g, " ");
    const draft: Draft = {
      kind: "compile",
      tool: "cmake",
      title: clip(firstSentences(message) || head.trim(), 200),
      message: clip(message),
      excerpt: excerpt([head, ...body]),
    };
    if (file !== undefined) draft.file = file;
    if (line !== undefined) draft.line = line;
    ctx.emit(draft);
  }

  const ex: Extractor = {
    trigger: /^CMake Error(?: at | in |: )/,
    get active() {
      return block.meta !== undefined;
    },
    feed(line, ctx) {
      const m = HEAD.exec(line);
      if (m) {
        if (m[1] !== undefined) block.start({ head: line, file: m[1], line: Number(m[2]) }, ctx);
        else if (m[3] !== undefined) block.start({ head: line, file: m[3] }, ctx);
        else block.start({ head: line, text: m[4] as string }, ctx);
        return true;
      }
      if (block.meta && (line.trim() === "" || /^\s/.test(line))) {
        block.take(line);
        return true;
      }
      block.close(ctx);
      return false;
    },
    flush(ctx) {
      block.close(ctx);
    },
  };
  return ex;
}
