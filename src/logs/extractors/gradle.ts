import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { clip, excerpt, message } from "./text.ts";

/** `Build file '/work/app/build.gradle' line: 12` (also `Settings file`, `Script`). */
const WHERE = /^(?:Build file|Settings file|Script|Initialization script) '(.+?)'(?: line: (\d+))?$/;
/** Causes that only point at output printed above them (the failing tests, the compiler's errors). */
const POINTER = /^There were failing tests\b|^Compilation failed; see the compiler error output|^Compilation error\. See log for more details/;
const END = /^\* (?:Try|Get more help at|Exception is):|^BUILD FAILED\b|^-{11,}$|^={11,}$/;

/**
 * Gradle's failure report: `* Where:` (the build script and line), `* What went wrong:` (the failed task and, on
 * `> ` lines, its causes, innermost last) up to `* Try:`. `BUILD FAILED` alone says nothing; this block is the cause.
 */
export function gradleExtractor(): Extractor {
  let where: { file: string; line?: number } | undefined;
  let block: string[] | undefined;
  let section: "where" | "what" | undefined;

  function close(ctx: ExtractContext): void {
    const lines = block;
    const place = where;
    block = undefined;
    where = undefined;
    section = undefined;
    ex.active = false;
    if (!lines) return;
    const body = lines.filter((l) => l.trim() !== "");
    const head = body[0]?.trim();
    if (head === undefined) return;
    const causes = body.filter((l) => /^\s*> /.test(l)).map((l) => l.trim().slice(2));
    // A pointer to output above: when a reader found that output, this block adds nothing.
    if (causes.length > 0 && causes.every((c) => POINTER.test(c)) && ctx.emitted() > 0) return;
    const draft: Draft = {
      kind: "error",
      tool: "gradle",
      title: clip(causes.length > 0 ? `${head} ${causes.at(-1)}` : head, 300),
      message: message(body, 5),
      excerpt: excerpt(body),
    };
    if (place) {
      draft.file = place.file;
      if (place.line !== undefined) draft.line = place.line;
    }
    ctx.emit(draft);
  }

  const ex: Extractor = {
    trigger: /^\* (?:What went wrong|Where):$/,
    active: false,
    feed(line, ctx) {
      if (line === "* Where:") {
        if (block) close(ctx);
        section = "where";
        ex.active = true;
        return true;
      }
      if (line === "* What went wrong:") {
        if (block) close(ctx);
        section = "what";
        block = [];
        ex.active = true;
        return true;
      }
      if (!ex.active) return false;
      if (section === "where") {
        const m = WHERE.exec(line.trim());
        if (m) where = m[2] === undefined ? { file: m[1] as string } : { file: m[1] as string, line: Number(m[2]) };
        return true;
      }
      if (END.test(line)) {
        close(ctx);
        return !line.startsWith("BUILD FAILED");
      }
      if (block && block.length < 60) block.push(line);
      return true;
    },
    flush(ctx) {
      close(ctx);
    },
  };
  return ex;
}
