import { blockReader } from "./block.ts";
import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, message } from "./text.ts";

const SECTION = /^There (?:was|were) \d+ (failure|error)s?:$/;
const OTHER_SECTION = /^There (?:was|were) \d+ \w+:$/;
const HEADER = /^(\d+)\) (\S+)$/;
const LOCATION = /^(\S+\.php):(\d+)$/;
const SUMMARY = /^Tests: (\d+), Assertions: \d+(.*)\.$/;

/** PHPUnit: "There were N failures:" then `1) Class::test`, the message, and `path/File.php:line`. */
export function phpunitExtractor(): Extractor {
  let kind: "failure" | "error" | undefined;
  const block = blockReader<string>(report);

  const ex: Extractor = {
    trigger: /^There (?:was|were) \d+ (?:failure|error)s?:$|^Tests: \d+, Assertions: /,
    active: false,
    feed(line, ctx) {
      const summary = SUMMARY.exec(line);
      if (summary) {
        ex.flush(ctx);
        const counts = new Map([...(summary[2] as string).matchAll(/(\w+): (\d+)/g)].map((m) => [m[1], Number(m[2])]));
        const failed = (counts.get("Failures") ?? 0) + (counts.get("Errors") ?? 0);
        const skipped = (counts.get("Skipped") ?? 0) + (counts.get("Incomplete") ?? 0);
        ctx.count({ failed, passed: Number(summary[1]) - failed - skipped, skipped });
        return true;
      }
      const section = SECTION.exec(line);
      if (section) {
        block.close(ctx);
        kind = section[1] as "failure" | "error";
        ex.active = true;
        return true;
      }
      if (!ex.active) return false;
      if (OTHER_SECTION.test(line) || /^(?:FAILURES!|ERRORS!|OK, but)/.test(line)) {
        ex.flush(ctx);
        return OTHER_SECTION.test(line);
      }
      const header = HEADER.exec(line);
      if (header) {
        block.start(header[2] as string, ctx);
        return true;
      }
      if (line === "--") {
        block.close(ctx);
        return true;
      }
      block.take(line);
      return true;
    },
    flush(ctx) {
      block.close(ctx);
      ex.active = false;
      kind = undefined;
    },
  };

  function report(title: string, lines: string[], ctx: ExtractContext): void {
    const locAt = lines.findIndex((l) => LOCATION.test(l));
    const loc = locAt === -1 ? undefined : LOCATION.exec(lines[locAt] as string);
    const body = locAt === -1 ? lines : lines.slice(0, locAt);
    ctx.emit({
      kind: kind === "error" ? "crash" : "test",
      tool: "phpunit",
      title,
      file: loc?.[1],
      line: loc ? Number(loc[2]) : undefined,
      message: message(body, 4),
      excerpt: excerpt(lines),
    });
  }

  return ex;
}
