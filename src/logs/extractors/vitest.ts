import type { ExtractContext, Extractor } from "./types.ts";
import { countWords, excerpt, message } from "./text.ts";

/** A rule with a title: `⎯⎯⎯ Failed Tests 2 ⎯⎯⎯`, `⎯⎯ Uncaught Exception ⎯⎯`. */
const TITLED_RULE = /^⎯+ (.+?) ⎯+$/;
const SEPARATOR = /^⎯{3,}/;
const FAIL = /^\s*FAIL\s+(\S.*?)(?:\s+\[ .* \])?\s*$/;
/** ` FAIL  file > suite > test`: vitest's own (jest's FAIL lines name a file only). */
const FAIL_TEST = /^\s*FAIL\s+\S+\s+>\s/;
const LOCATION = /^\s*❯ (?:\S+ )?(\S+?):(\d+):(\d+)\s*$/;
const SUMMARY = /^\s*Tests\s{2,}(\d+ .*)$/;
const UNHANDLED = /^(?:Uncaught Exception|Unhandled Rejection|Unhandled Error)/;

type Section = "tests" | "suites" | "unhandled";

/**
 * vitest's closing report: "Failed Tests" (one block per ` FAIL  file > suite > test`), "Failed Suites" (a test
 * file that did not load) and "Unhandled Errors" (one block per `⎯ Uncaught Exception ⎯`); blocks end at a ⎯ rule.
 */
export function vitestExtractor(): Extractor {
  let section: Section | undefined;
  let block: { head: string; lines: string[] } | undefined;
  /** Read from a bare FAIL line, with no report rule around it: the block ends after its location and code frame. */
  let headless = false;
  let located = false;

  const ex: Extractor = {
    trigger: /^⎯+ (?:Failed|Unhandled)|^\s*Tests\s{2,}\d|^\s*FAIL\s+\S+\s+>\s/,
    active: false,
    feed(line, ctx) {
      const summary = SUMMARY.exec(line);
      if (summary) {
        ex.flush(ctx);
        const words = countWords(summary[1] as string);
        ctx.count({ failed: words.get("failed") ?? 0, passed: words.get("passed"), skipped: words.get("skipped") });
        return true;
      }
      const rule = TITLED_RULE.exec(line.trim());
      if (rule) {
        close(ctx);
        const title = rule[1] as string;
        if (/^Failed Tests/.test(title)) section = "tests";
        else if (/^Failed Suites/.test(title)) section = "suites";
        else if (/^Unhandled Errors?/.test(title)) section = "unhandled";
        else if (section === "unhandled" && UNHANDLED.test(title)) block = { head: title, lines: [] };
        ex.active = section !== undefined;
        return ex.active;
      }
      // A log cut down to the failure (or a reporter without the rule) still names the test: read it as one.
      if (!ex.active && FAIL_TEST.test(line)) {
        section = "tests";
        ex.active = true;
        headless = true;
      }
      if (!ex.active) return false;
      if (headless && located && !/^\s*(?:\d+\s*)?\|/.test(line) && !FAIL_TEST.test(line)) {
        ex.flush(ctx);
        return false;
      }
      if (headless && LOCATION.test(line)) located = true;
      if (SEPARATOR.test(line.trim())) {
        close(ctx);
        return true;
      }
      if (section !== "unhandled" && FAIL.test(line)) {
        close(ctx);
        block = { head: line, lines: [] };
        located = false;
        return true;
      }
      if (/^\s*Test Files\s/.test(line)) {
        ex.flush(ctx);
        return false;
      }
      if (block && block.lines.length < 80) block.lines.push(line);
      return true;
    },
    flush(ctx) {
      close(ctx);
      ex.active = false;
      section = undefined;
      headless = false;
      located = false;
    },
  };

  function close(ctx: ExtractContext): void {
    if (!block) return;
    const { head, lines } = block;
    block = undefined;
    // vitest explains what an unhandled error may mean; the error and its place are what matter.
    const end = lines.findIndex((l) => /^This error originated in /.test(l));
    const body = (end === -1 ? lines : lines.slice(0, end)).filter((l) => !/^\s*❯ .*\bnode:/.test(l));
    const stop = body.findIndex((l) => l.trim() === "" || /^\s*❯ /.test(l));
    const msg = message(stop === -1 ? body : body.slice(0, stop), 3);
    const fail = FAIL.exec(head);
    const parts = fail ? (fail[1] as string).split(" > ") : [];
    const testFile = parts[0];
    let loc: RegExpExecArray | undefined;
    for (const l of body) {
      const m = LOCATION.exec(l);
      if (m && !m[1]?.startsWith("node:") && (!loc || (testFile && m[1] === testFile && loc[1] !== testFile))) loc = m;
    }
    const base = { tool: "vitest", file: loc?.[1] ?? testFile, line: loc ? Number(loc[2]) : undefined, column: loc ? Number(loc[3]) : undefined, message: msg, excerpt: excerpt(body) };
    if (!fail) ctx.emit({ ...base, kind: "crash", title: `${head}: ${msg.split("\n")[0] ?? ""}` });
    else if (section === "suites" || parts.length === 1) ctx.emit({ ...base, kind: "crash", title: `${testFile} failed to run` });
    else ctx.emit({ ...base, kind: "test", title: parts.slice(1).join(" > ") });
  }

  return ex;
}
