import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, firstAppFrame, indentOf, message } from "./text.ts";

const FAILING = /^\s+(\d+) failing\b/;
const COUNT = /^\s+(\d+) (passing|failing|pending)\b/;
const HEADER = /^(\s*)(\d+)\) (.+)$/;

/** mocha's spec reporter: after "N failing", numbered blocks whose title spans lines up to the one ending in ":". */
export function mochaExtractor(): Extractor {
  let block: string[] | undefined;
  let headerIndent = 0;
  let sawFrame = false;

  const ex: Extractor = {
    trigger: /^\s+\d+ (?:passing|failing|pending)\b/,
    active: false,
    feed(line, ctx) {
      const count = COUNT.exec(line);
      if (count) {
        const n = Number(count[1]);
        if (count[2] === "passing") ctx.count({ passed: n });
        else if (count[2] === "pending") ctx.count({ skipped: n });
        else ctx.count({ failed: n });
        if (FAILING.test(line)) ex.active = true;
        return true;
      }
      if (!ex.active) return false;
      const header = HEADER.exec(line);
      if (header && (!block || indentOf(line) <= headerIndent)) {
        close(ctx);
        headerIndent = (header[1] as string).length;
        block = [line];
        sawFrame = false;
        return true;
      }
      const frame = /^\s*at /.test(line);
      if (block && sawFrame && !frame) close(ctx);
      if (!block) {
        // Between blocks only blank lines belong to the section; anything else is the next tool's output.
        if (line.trim() === "") return true;
        ex.active = false;
        return false;
      }
      sawFrame ||= frame;
      if (block.length < 120) block.push(line);
      return true;
    },
    flush(ctx) {
      close(ctx);
      ex.active = false;
    },
  };

  function close(ctx: ExtractContext): void {
    if (!block) return;
    const lines = block;
    block = undefined;
    const titleParts = [(HEADER.exec(lines[0] as string)?.[3] ?? "").trim()];
    let i = 1;
    if (!titleParts[0]?.endsWith(":")) {
      for (; i < lines.length && i < 8; i += 1) {
        const t = (lines[i] as string).trim();
        if (t === "") break;
        titleParts.push(t);
        if (t.endsWith(":")) {
          i += 1;
          break;
        }
      }
    }
    const title = titleParts.join(" › ").replace(/:$/, "");
    const body = lines.slice(i);
    const stop = body.findIndex((l) => /^\s*(?:\+ expected - actual|at )/.test(l));
    const frame = firstAppFrame(body);
    ctx.emit({
      kind: "test",
      tool: "mocha",
      title,
      file: frame?.file,
      line: frame?.line,
      column: frame?.column,
      message: message(stop === -1 ? body : body.slice(0, stop), 4),
      excerpt: excerpt(body),
    });
  }

  return ex;
}
