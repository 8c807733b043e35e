import type { ExtractContext, Extractor } from "./types.ts";
import { countWords, excerpt, message } from "./text.ts";

const RULE = /^(?:={20,}|-{20,})$/;
const HEADER = /^(FAIL|ERROR): (\S+)(?: \((.+)\))?/;
const FRAME = /^\s*File "(.+)", line (\d+)/;
const RAN = /^Ran (\d+) tests? in /;
const RESULT = /^FAILED \((.*)\)$/;
const SKIPPED = /^OK \((.*)\)$/;

interface Block {
  title: string;
  lines: string[];
  kind: "test" | "crash";
  tool: string;
}

/**
 * unittest's `FAIL:` / `ERROR:` blocks and any bare Python traceback (a crash): the location is the last frame in the
 * project (not the standard library or site-packages), the message is the exception line.
 */
export function pythonExtractor(): Extractor {
  let block: Block | undefined;
  let ran = 0;

  const ex: Extractor = {
    trigger: /^(?:FAIL|ERROR): \S|^Traceback \(most recent call last\):$|^Ran \d+ tests? in |^(?:FAILED|OK) \(/,
    active: false,
    feed(line, ctx) {
      // unittest puts a rule of `=` above each header; pip and others print `ERROR: ...` too.
      const header = HEADER.exec(line);
      if (header && /^={20,}$/.test(ctx.previous(1)[0] ?? "")) {
        close(ctx);
        const [, , name, where] = header;
        const title = where ? (where.endsWith(`.${name}`) ? where : `${where}.${name}`) : (name as string);
        block = { title, lines: [], kind: "test", tool: "unittest" };
        ex.active = true;
        return true;
      }
      if (line === "Traceback (most recent call last):" && !block) {
        block = { title: "", lines: [line], kind: "crash", tool: "python" };
        ex.active = true;
        return true;
      }
      const ranLine = RAN.exec(line);
      if (ranLine) {
        close(ctx);
        ran = Number(ranLine[1]);
        return true;
      }
      const result = RESULT.exec(line) ?? SKIPPED.exec(line);
      if (result && ran > 0) {
        const words = countWords((result[1] as string).replace(/=/g, " ").replace(/(\w+) (\d+)/g, "$2 $1"));
        const failed = (words.get("failures") ?? 0) + (words.get("errors") ?? 0);
        const skipped = words.get("skipped") ?? 0;
        ctx.count({ failed, passed: Math.max(0, ran - failed - skipped), skipped });
        ran = 0;
        return true;
      }
      if (!block) return false;
      if (block.tool === "python") return feedTraceback(block, line, ctx);
      if (RULE.test(line) && block.lines.some((l) => l.trim() !== "")) {
        close(ctx);
        return true;
      }
      if (!RULE.test(line) && block.lines.length < 200) block.lines.push(line);
      return true;
    },
    flush(ctx) {
      close(ctx);
    },
  };

  function feedTraceback(b: Block, line: string, ctx: ExtractContext): boolean {
    if (b.lines.length < 200) b.lines.push(line);
    // The exception line is the first line back at column 0 after the frames.
    if (b.lines.length > 1 && line !== "" && !/^\s/.test(line) && !/^During handling|^The above exception/.test(line)) {
      close(ctx);
    }
    return true;
  }

  function close(ctx: ExtractContext): void {
    if (!block) return;
    const b = block;
    block = undefined;
    ex.active = false;
    const lines = b.lines;
    let loc: RegExpExecArray | undefined;
    let lastFrameAt = -1;
    lines.forEach((l, i) => {
      const m = FRAME.exec(l);
      if (!m) return;
      lastFrameAt = i;
      if (!/[\\/](?:site-packages|dist-packages|lib\/python\d|unittest)[\\/]|^<frozen /.test(m[1] as string)) loc = m;
    });
    const tailLines = lines.slice(lastFrameAt + 1).filter((l) => !/^\s/.test(l) && l.trim() !== "");
    const msg = message(tailLines, 3);
    ctx.emit({
      kind: b.kind,
      tool: b.tool,
      title: b.title || msg.split("\n")[0] || "Python exception",
      file: loc?.[1],
      line: loc ? Number(loc[2]) : undefined,
      message: msg,
      excerpt: excerpt(lines.length > 15 ? [...lines.slice(0, 1), ...lines.slice(-14)] : lines),
    });
  }

  return ex;
}
