import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { clip, excerpt } from "./text.ts";

/** `ERROR in ./src/index.js 1:0-35` (the place is missing for errors that have none, such as a bad entry). */
const HEAD = /^ERROR in (\S.*?)(?: (\d+):(\d+)(?:-\d+(?::\d+)?)?)?$/;
const MAX_LINES = 14;

/**
 * webpack's errors: `ERROR in <module> <line>:<col>`, the message on the next line, then details until a blank
 * line. The closing `webpack … compiled with N errors` only counts them.
 */
export function webpackExtractor(): Extractor {
  let open: { head: string; file: string; line?: number; column?: number; lines: string[] } | undefined;

  function finish(ctx: ExtractContext): void {
    if (!open) return;
    const { head, file, line, column, lines } = open;
    open = undefined;
    ex.active = false;
    const message = lines.find((l) => l.trim() !== "")?.trim() ?? head;
    const draft: Draft = {
      kind: "compile",
      tool: "webpack",
      title: clip(message, 200),
      file: file.replace(/^\.\//, ""),
      message: clip(message),
      excerpt: excerpt([head, ...lines]),
    };
    if (line !== undefined) draft.line = line;
    if (column !== undefined) draft.column = column + 1; // webpack counts columns from 0
    ctx.emit(draft);
  }

  const ex: Extractor = {
    trigger: /^ERROR in \S/,
    active: false,
    feed(line, ctx) {
      const head = HEAD.exec(line);
      if (head) {
        finish(ctx);
        open = { head: line, file: head[1] as string, lines: [] };
        if (head[2] !== undefined) {
          open.line = Number(head[2]);
          open.column = Number(head[3]);
        }
        ex.active = true;
        return true;
      }
      if (!open) return false;
      if (line.trim() === "" && open.lines.length > 0) {
        finish(ctx);
        return true;
      }
      if (open.lines.length >= MAX_LINES) {
        finish(ctx);
        return false;
      }
      open.lines.push(line);
      return true;
    },
    flush(ctx) {
      finish(ctx);
    },
  };
  return ex;
}
