import type { ExtractContext, Extractor } from "./types.ts";
import { countWords, excerpt, message } from "./text.ts";

const SECTION = /^=+ (FAILURES|ERRORS|short test summary info) =+$/;
const RULE = /^=+ .* =+$/;
const HEADER = /^_{3,} (.+?) _{3,}$/;
const LOCATION = /^(\S+?\.py):(\d+): ?(\w*)/;
const SHORT = /^(FAILED|ERROR) (\S+?)(?: - (.*))?$/;
const FINAL = /^=+ (.*\b(?:passed|failed|errors?|skipped|deselected|no tests ran)\b.*) in [\d.]+s(?: \([^)]*\))? =+$/;

/** pytest: the FAILURES / ERRORS sections (one block per `____ name ____`), then the short summary names node ids. */
export function pytestExtractor(): Extractor {
  let section: "FAILURES" | "ERRORS" | "summary" | undefined;
  let block: { title: string; lines: string[] } | undefined;

  const ex: Extractor = {
    trigger: /^=+ (?:FAILURES|ERRORS|short test summary info) =+$|^=+ .* in [\d.]+s(?: \([^)]*\))? =+$/,
    active: false,
    feed(line, ctx) {
      const final = FINAL.exec(line);
      if (final) {
        ex.flush(ctx);
        const words = countWords(final[1] as string);
        ctx.count({
          failed: (words.get("failed") ?? 0) + (words.get("error") ?? 0) + (words.get("errors") ?? 0),
          passed: words.get("passed"),
          skipped: words.get("skipped"),
        });
        return true;
      }
      const sec = SECTION.exec(line);
      if (sec) {
        closeBlock(ctx);
        section = sec[1] === "short test summary info" ? "summary" : (sec[1] as "FAILURES" | "ERRORS");
        ex.active = true;
        return true;
      }
      if (!ex.active) return false;
      if (RULE.test(line)) {
        ex.flush(ctx);
        return false;
      }
      if (section === "summary") {
        const short = SHORT.exec(line);
        if (short) summaryLine(short, ctx);
        return true;
      }
      const header = HEADER.exec(line);
      if (header) {
        closeBlock(ctx);
        block = { title: (header[1] as string).trim(), lines: [] };
        return true;
      }
      if (block) {
        block.lines.push(line);
        // A long traceback: what matters is at its end (the last frame, the E lines).
        if (block.lines.length > 200) block.lines.splice(0, 100);
      }
      return true;
    },
    flush(ctx) {
      closeBlock(ctx);
      section = undefined;
      ex.active = false;
    },
  };

  function closeBlock(ctx: ExtractContext): void {
    if (!block) return;
    const { title, lines } = block;
    block = undefined;
    let loc: RegExpExecArray | undefined;
    for (const l of lines) {
      const m = LOCATION.exec(l);
      if (m) loc = m;
    }
    const errors = lines.filter((l) => /^E\s/.test(l)).map((l) => l.slice(1));
    // The last frame of the traceback: the code line marked `>`, the E lines, the location.
    const lastFrame = Math.max(0, lines.findLastIndex((l) => /^_ _ _/.test(l)) + 1);
    const frame = lines.slice(lastFrame).filter((l) => !/^\S+ = /.test(l));
    const collecting = title.startsWith("ERROR collecting ");
    ctx.emit({
      kind: collecting ? "crash" : "test",
      tool: "pytest",
      title: collecting ? `${title.slice("ERROR collecting ".length)} could not be collected` : title,
      file: loc?.[1],
      line: loc ? Number(loc[2]) : undefined,
      message: message(errors.length > 0 ? errors : frame.slice(-3), 4) || (loc?.[3] ?? ""),
      excerpt: excerpt(frame.length > 15 ? frame.slice(-15) : frame),
    });
  }

  function summaryLine(short: RegExpExecArray, ctx: ExtractContext): void {
    const nodeId = short[2] as string;
    const [path, ...names] = nodeId.split("::");
    const name = names.join(".");
    if (name && ctx.retitle("pytest", (t) => t === name || t === `ERROR at setup of ${name}`, nodeId)) return;
    if (ctx.retitle("pytest", (t) => t === nodeId, nodeId)) return;
    const collected = `${path} could not be collected`;
    if (ctx.retitle("pytest", (t) => t === collected, collected)) return;
    ctx.emit({
      kind: short[1] === "ERROR" ? "crash" : "test",
      tool: "pytest",
      title: nodeId,
      file: path,
      message: short[3] ?? "",
      excerpt: [short[0]],
    });
  }

  return ex;
}
