import type { Extractor } from "./types.ts";
import { countWords, excerpt, message } from "./text.ts";

const SECTION = /⎯ (?:Failed (?:Tests|Suites) \d+|Unhandled Errors?) ⎯/;
const SEPARATOR = /^⎯{3,}/;
const FAIL = /^\s*FAIL\s+(\S.*?)(?:\s+\[ .* \])?\s*$/;
const LOCATION = /^\s*❯ (\S+?):(\d+):(\d+)\s*$/;
const SUMMARY = /^\s*Tests\s{2,}(\d+ .*)$/;

/** vitest's "Failed Tests" section: one block per ` FAIL  file > suite > test`, closed by a ⎯ rule. */
export function vitestExtractor(): Extractor {
  let block: string[] | undefined;
  let unhandled = false;

  const ex: Extractor = {
    trigger: /^⎯+ (?:Failed|Unhandled)|^\s*Tests\s{2,}\d/,
    active: false,
    feed(line, ctx) {
      const summary = SUMMARY.exec(line);
      if (summary) {
        ex.flush(ctx);
        const words = countWords(summary[1] as string);
        ctx.count({ failed: words.get("failed") ?? 0, passed: words.get("passed"), skipped: words.get("skipped") });
        return true;
      }
      if (SECTION.test(line)) {
        close(ctx);
        unhandled = line.includes("Unhandled");
        ex.active = true;
        return true;
      }
      if (!ex.active) return false;
      if (FAIL.test(line) || (unhandled && block === undefined && line.trim() !== "")) {
        close(ctx);
        block = [line];
        return true;
      }
      if (SEPARATOR.test(line.trim())) {
        close(ctx);
        return true;
      }
      if (/^\s*Test Files\s/.test(line)) {
        ex.flush(ctx);
        return false;
      }
      if (block && block.length < 80) block.push(line);
      return true;
    },
    flush(ctx) {
      close(ctx);
      ex.active = false;
      unhandled = false;
    },
  };

  function close(ctx: Parameters<Extractor["flush"]>[0]): void {
    if (!block) return;
    const [head, ...body] = block;
    block = undefined;
    const fail = FAIL.exec(head as string);
    let title: string;
    let testFile: string | undefined;
    let rest = body;
    if (fail) {
      const parts = (fail[1] as string).split(" > ");
      testFile = parts[0];
      title = parts.length > 1 ? parts.slice(1).join(" > ") : (parts[0] as string);
    } else {
      title = (head as string).trim();
      rest = [head as string, ...body];
    }
    const firstBlank = rest.findIndex((l, i) => i > 0 && l.trim() === "");
    const msg = message(firstBlank === -1 ? rest : rest.slice(0, firstBlank), 3);
    let loc: RegExpExecArray | undefined;
    for (const l of rest) {
      const m = LOCATION.exec(l);
      if (m && (!loc || (testFile && m[1] === testFile && loc[1] !== testFile))) loc = m;
    }
    ctx.emit({
      kind: fail ? "test" : "crash",
      tool: "vitest",
      title: fail ? title : msg.split("\n")[0] || title,
      file: loc?.[1] ?? testFile,
      line: loc ? Number(loc[2]) : undefined,
      column: loc ? Number(loc[3]) : undefined,
      message: msg,
      excerpt: excerpt(rest),
    });
  }

  return ex;
}
