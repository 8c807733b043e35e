import type { Draft, Extractor } from "./types.ts";
import { clip } from "./text.ts";

const HEAD = /^In (.+) line (\d+):$/;
/** The caret under the code names the column: `       ^-- SC2086 (info): Double quote to prevent globbing…`. */
const FINDING = /^(\s*)\^[-^]*\s+(SC\d+) \((error|warning|info|style)\): (.+)$/;

/**
 * ShellCheck's default (tty) output: `In <file> line <n>:`, the code, then one caret line per finding. ShellCheck
 * fails the run on any finding it prints (its `--severity` decides which it prints).
 */
export function shellcheckExtractor(): Extractor {
  let open: { head: string; file: string; line: number; code: string[]; found: boolean } | undefined;

  const ex: Extractor = {
    trigger: /^In .+ line \d+:$/,
    active: false,
    feed(line, ctx) {
      const head = HEAD.exec(line);
      if (head) {
        open = { head: line, file: head[1] as string, line: Number(head[2]), code: [], found: false };
        ex.active = true;
        return true;
      }
      if (!open) return false;
      const m = FINDING.exec(line);
      if (m) {
        const [, indent, code, , message] = m as unknown as [string, string, string, string, string];
        const draft: Draft = {
          kind: "lint",
          tool: "shellcheck",
          title: `${code}: ${message}`,
          file: open.file,
          line: open.line,
          column: indent.length + 1,
          message,
          excerpt: [open.head, ...open.code.slice(0, 5), line].map((l) => clip(l.trimEnd())),
        };
        ctx.emit(draft);
        open.found = true;
        return true;
      }
      if (line.trim() === "" ? open.found || open.code.length > 0 : open.found) {
        // The findings end at the blank line after them ("Did you mean:" and the links follow).
        open = undefined;
        ex.active = false;
        return false;
      }
      // ShellCheck shows one line of code before its carets; more means this was not its report.
      if (open.code.length >= 3) {
        open = undefined;
        ex.active = false;
        return false;
      }
      open.code.push(line);
      return true;
    },
    flush() {
      open = undefined;
      ex.active = false;
    },
  };
  return ex;
}
