import type { ExtractContext, Extractor } from "./types.ts";
import { clip, excerpt } from "./text.ts";

/** XCTest's own line: `/src/AppTests/CalcTests.swift:15: error: -[AppTests.CalcTests testSubtracts] : XCTAssertEqual failed: …`. */
const XCTEST = /^(\S.*?\.(?:swift|mm?)):(\d+): error: -\[([\w.]+) (\w+)\] : (.+)$/;
/** xcpretty / xcbeautify: `❌ /src/App/View.swift:12:9: cannot find 'foo' in scope`, or `❌ message` without a place. */
const CROSS = /^\s*❌ {1,2}(?:(\S.*?):(\d+)(?::(\d+))?: )?(.+)$/;
/** xcodebuild's own errors: `xcodebuild: error: Unable to find a destination matching …`. */
const OWN = /^xcodebuild: error: (.+)$/;
/** Summaries that repeat, tab-indented, what failed above: `Testing failed:` and `The following build commands failed:`. */
const SUMMARY = /^(?:Testing failed:|The following build commands failed:)$/;
const VERDICT = /^\*\* (?:BUILD|TEST|ARCHIVE|ANALYZE|CLEAN) FAILED \*\*$/;

/**
 * xcodebuild: XCTest assertion failures, xcpretty/xcbeautify's `❌` lines, `xcodebuild: error:`, and the closing
 * `Testing failed:` / `The following build commands failed:` lists, which are the cause only when nothing above
 * was read (their items repeat the errors printed where they happened). Compiler diagnostics in the
 * `file:line:col: error:` shape belong to the compiler reader.
 */
export function xcodebuildExtractor(): Extractor {
  let summary: { head: string; lines: string[] } | undefined;

  function close(ctx: ExtractContext): void {
    if (!summary) return;
    const { head, lines } = summary;
    summary = undefined;
    ex.active = false;
    if (ctx.emitted() > 0) return;
    const items = lines.map((l) => l.trim()).filter((l) => l !== "" && !/^\(\d+ failures?\)$/.test(l));
    if (items.length === 0) return;
    ctx.emit({
      kind: head.startsWith("Testing") ? "test" : "compile",
      tool: "xcodebuild",
      title: clip(items[0] as string, 300),
      message: clip(items.slice(0, 4).join("\n")),
      excerpt: excerpt([head, ...lines]),
    });
  }

  const ex: Extractor = {
    trigger: /: error: -\[|❌ |^xcodebuild: error: |^Testing failed:$|^The following build commands failed:$/,
    active: false,
    feed(line, ctx) {
      if (summary) {
        if (/^\s/.test(line) && line.trim() !== "") {
          if (summary.lines.length < 20) summary.lines.push(line);
          return true;
        }
        if (/^\(\d+ failures?\)$/.test(line)) return true;
        close(ctx);
        if (VERDICT.test(line)) return true;
      }
      if (SUMMARY.test(line)) {
        summary = { head: line, lines: [] };
        ex.active = true;
        return true;
      }
      const test = XCTEST.exec(line);
      if (test) {
        const [, file, row, suite, name, text] = test as unknown as [string, string, string, string, string, string];
        ctx.emit({ kind: "test", tool: "xctest", title: `${suite}.${name}`, file, line: Number(row), message: clip(text), excerpt: [clip(line)] });
        return true;
      }
      const own = OWN.exec(line);
      if (own) {
        ctx.emit({ kind: "error", tool: "xcodebuild", title: clip((own[1] as string).trim(), 300), message: clip(own[1] as string), excerpt: [clip(line)] });
        return true;
      }
      const cross = CROSS.exec(line);
      if (cross) {
        const [, file, row, col, text] = cross;
        ctx.emit({
          kind: file ? "compile" : "error",
          tool: "xcodebuild",
          title: clip((text as string).trim(), 300),
          file,
          line: row === undefined ? undefined : Number(row),
          column: col === undefined ? undefined : Number(col),
          message: clip((text as string).trim()),
          excerpt: [clip(line.trim())],
        });
        return true;
      }
      return false;
    },
    flush(ctx) {
      close(ctx);
    },
  };
  return ex;
}
