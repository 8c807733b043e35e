import { blockReader } from "./block.ts";
import type { ExtractContext, Extractor } from "./types.ts";
import { countWords, excerpt, indentOf, message } from "./text.ts";

const HEADER = /^(\s+)(\d+)\) (.+)$/;
const LOCATION = /^\s*# (?:\.\/)?(\S+?\.rb):(\d+)(?::in\b.*)?$/;
const SUMMARY = /^(\d+) examples?, (\d+) failures?(.*)$/;

/** RSpec's "Failures:" section: numbered examples, the Failure/Error lines, the `# ./spec/x_spec.rb:9` location. */
export function rspecExtractor(): Extractor {
  const block = blockReader<{ title: string; indent: number }>(report);

  const ex: Extractor = {
    trigger: /^Failures:$|^\d+ examples?, \d+ failures?/,
    active: false,
    feed(line, ctx) {
      const summary = SUMMARY.exec(line);
      if (summary) {
        ex.flush(ctx);
        const total = Number(summary[1]);
        const failed = Number(summary[2]);
        const skipped = countWords(summary[3] as string).get("pending") ?? 0;
        ctx.count({ failed, passed: total - failed - skipped, skipped });
        return true;
      }
      if (line === "Failures:") {
        ex.active = true;
        return true;
      }
      if (!ex.active) return false;
      const header = HEADER.exec(line);
      const open = block.meta;
      if (header && (!open || indentOf(line) <= open.indent)) {
        block.start({ title: (header[3] as string).trim(), indent: (header[1] as string).length }, ctx);
        return true;
      }
      if (/^Finished in /.test(line)) {
        ex.flush(ctx);
        return false;
      }
      block.take(line);
      return true;
    },
    flush(ctx) {
      block.close(ctx);
      ex.active = false;
    },
  };

  function report({ title }: { title: string }, lines: string[], ctx: ExtractContext): void {
    const loc = lines.map((l) => LOCATION.exec(l)).find((m) => m && !/\/gems\//.test(m[1] as string));
    const body = lines.filter((l) => !LOCATION.test(l));
    const text = body.map((l) => l.replace(/^\s*Failure\/Error: /, "")).filter((l) => l.trim() !== "");
    ctx.emit({
      kind: "test",
      tool: "rspec",
      title,
      file: loc?.[1],
      line: loc ? Number(loc[2]) : undefined,
      message: message(text.slice(1).length > 0 ? text.slice(1) : text, 4),
      excerpt: excerpt(lines),
    });
  }

  return ex;
}
