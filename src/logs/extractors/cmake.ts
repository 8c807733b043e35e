import type { Draft, Extractor } from "./types.ts";
import { clip, excerpt, firstSentences } from "./text.ts";

/** `CMake Error at <file>:<line> (<command>):`, `CMake Error at <file>:<line>:` (parse errors), `CMake Error in <file>:` and `CMake Error: <message>`. */
const HEAD = /^CMake Error(?: at (.+?):(\d+)(?: \([^)]*\))?:| in (.+?):|: (.+))\s*$/;

/**
 * CMake's configure and generate errors: a headline naming the file and line, then the message indented by two
 * spaces (paragraphs separated by blank lines) until the next line that is not indented.
 */
export function cmakeExtractor(): Extractor {
  let open: { head: string; file?: string; line?: number; text?: string; body: string[] } | undefined;

  function finish(ctx: Parameters<Extractor["flush"]>[0]): void {
    if (!open) return;
    const { head, file, line, text, body } = open;
    open = undefined;
    ex.active = false;
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
    active: false,
    feed(line, ctx) {
      const m = HEAD.exec(line);
      if (m) {
        finish(ctx);
        open = { head: line, body: [] };
        if (m[1] !== undefined) {
          open.file = m[1];
          open.line = Number(m[2]);
        } else if (m[3] !== undefined) {
          open.file = m[3];
        } else {
          open.text = m[4];
        }
        ex.active = true;
        return true;
      }
      if (open && (line.trim() === "" || /^\s/.test(line))) {
        if (open.body.length < 60) open.body.push(line);
        return true;
      }
      finish(ctx);
      return false;
    },
    flush(ctx) {
      finish(ctx);
    },
  };
  return ex;
}
