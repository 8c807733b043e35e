import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { clip } from "./text.ts";

/** `lib/cart.rb:3:8: C: [Correctable] Layout/SpaceAroundOperators: Surrounding space missing for operator =.` */
const OFFENSE = /^(\S.*?):(\d+):(\d+): ([CWEFR]): (?:\[Correctable\] )?([A-Z]\w*(?:\/\w+)+): (.+)$/;
const SUMMARY = /^\d+ files? inspected, /;

/**
 * RuboCop's default report: `Offenses:`, then each offense with the code line and a caret under it, then the
 * `N files inspected, M offenses detected` summary. RuboCop fails the run on the offenses it lists.
 */
export function rubocopExtractor(): Extractor {
  let pending: Draft | undefined;

  function emit(ctx: ExtractContext): void {
    if (pending) ctx.emit(pending);
    pending = undefined;
  }
  function stop(ctx: ExtractContext): void {
    emit(ctx);
    ex.active = false;
  }

  const ex: Extractor = {
    trigger: /^Offenses:$/,
    active: false,
    feed(line, ctx) {
      if (!ex.active) {
        ex.active = true;
        return true;
      }
      if (SUMMARY.test(line)) {
        stop(ctx);
        return true;
      }
      const m = OFFENSE.exec(line);
      if (m) {
        emit(ctx);
        const [, file, row, col, , cop, message] = m as unknown as [string, string, string, string, string, string, string];
        pending = { kind: "lint", tool: "rubocop", title: `${cop}: ${message}`, file, line: Number(row), column: Number(col), message, excerpt: [line] };
        return true;
      }
      // The offending code and the caret under it belong to the offense above them.
      if (pending && pending.excerpt.length < 3 && line.trim() !== "") {
        pending.excerpt.push(clip(line.trimEnd()));
        return true;
      }
      if (line.trim() === "") return true;
      stop(ctx);
      return false;
    },
    flush(ctx) {
      stop(ctx);
    },
  };
  return ex;
}
