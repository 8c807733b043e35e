import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { clip, excerpt } from "./text.ts";

/** `file: /path/src/main.ts:3:7 (/path/index.html)`: line and column when the error has a place, the importer after. */
const FILE = /^file: (.+?)(?::(\d+):(\d+))?(?: \(.+\))?$/;
const FRAME = /^\s+at /;

/**
 * Vite's (and Rollup's) build error: `error during build:`, the message, an optional `file:` line, maybe a code
 * frame, then the bundler's own stack, which a maintainer never needs (and which ends the block).
 */
export function viteExtractor(): Extractor {
  let open: { lines: string[]; file?: string; line?: number; column?: number } | undefined;

  function finish(ctx: ExtractContext): void {
    if (!open) return;
    const { lines, file, line, column } = open;
    open = undefined;
    ex.active = false;
    const message = lines.find((l) => l.trim() !== "")?.trim();
    if (!message) return;
    const draft: Draft = {
      kind: "compile",
      tool: "vite",
      title: clip(message.replace(/^\[[\w:-]+\] /, ""), 200),
      message: clip(message),
      excerpt: excerpt(["error during build:", ...lines]),
    };
    if (file !== undefined) draft.file = file;
    if (line !== undefined) draft.line = line;
    if (column !== undefined) draft.column = column;
    ctx.emit(draft);
  }

  const ex: Extractor = {
    trigger: /^error during build:$/,
    active: false,
    feed(line, ctx) {
      if (!ex.active) {
        open = { lines: [] };
        ex.active = true;
        return true;
      }
      if (!open) return false;
      const file = FILE.exec(line);
      if (file) {
        open.file = file[1];
        if (file[2] !== undefined) {
          open.line = Number(file[2]);
          open.column = Number(file[3]);
        }
        open.lines.push(line);
        return true;
      }
      // The message and its code frame end where the bundler's stack begins.
      if (FRAME.test(line)) {
        finish(ctx);
        return true;
      }
      if (open.lines.length >= 14) {
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
