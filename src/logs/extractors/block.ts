import type { ExtractContext } from "./types.ts";

/** Lines kept from a block's start when it overflows its cap: the headline and what follows it. */
const HEAD_LINES = 8;
/** Stands for the lines dropped from the middle of an overflowing block. */
export const ELIDED = "…";

/**
 * The open/collect/close protocol every extractor shares. An extractor says where a block starts (with what it
 * knows from the headline, `meta`), which lines belong to it (`take`), and what a closed block reports (`report`);
 * the reader holds the one open block, closes it before the next one opens and when the step or log ends, and
 * bounds it. A block longer than its cap keeps its first lines and its LAST ones: the cause of a long block (a
 * build script's `--- stderr`, a traceback's final line, testify's `Error:`) is usually at its end.
 */
export interface BlockReader<M> {
  /** The open block's headline facts, or undefined when no block is open. */
  readonly meta: M | undefined;
  /** Lines kept so far in the open block. */
  readonly size: number;
  /** Opens a block (reporting the one still open first). */
  start(meta: M, ctx: ExtractContext): void;
  /** Adds a line to the open block (no-op when none is open). */
  take(line: string): void;
  /** Reports the open block, if any, and closes it. */
  close(ctx: ExtractContext): void;
}

export function blockReader<M>(report: (meta: M, lines: string[], ctx: ExtractContext) => void, max = 80): BlockReader<M> {
  const head = Math.min(HEAD_LINES, max - 1);
  const ring = max - head;
  let meta: M | undefined;
  let lines: string[] = [];
  /** Once the block is full, lines[head..max) is a ring of its newest lines; `at` is the oldest of them. */
  let at = 0;
  let dropped = 0;

  return {
    get meta() {
      return meta;
    },
    get size() {
      return lines.length;
    },
    start(next, ctx) {
      this.close(ctx);
      meta = next;
    },
    take(line) {
      if (meta === undefined) return;
      if (lines.length < max) {
        lines.push(line);
        return;
      }
      lines[head + at] = line;
      at = (at + 1) % ring;
      dropped += 1;
    },
    close(ctx) {
      if (meta === undefined) return;
      const done = meta;
      const kept = dropped === 0 ? lines : [...lines.slice(0, head), ELIDED, ...lines.slice(head + at), ...lines.slice(head, head + at)];
      meta = undefined;
      lines = [];
      at = 0;
      dropped = 0;
      report(done, kept, ctx);
    },
  };
}
