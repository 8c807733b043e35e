import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, firstAppFrame, message } from "./text.ts";

/** The browser karma names every result with: `Chrome Headless 156.0.0.0 (Linux 0.0.0)`, `Firefox 120.0 (Ubuntu 0.0.0)`. */
const BROWSER = String.raw`\S[^()]*? \d+(?:\.\d+)* \([^()]*\)`;
/** `<browser> calc subtracts FAILED`, or `<browser> ERROR` when the run itself broke (a script that throws while loading). */
const RESULT = new RegExp(String.raw`^${BROWSER}(?: (.+?))? (FAILED|ERROR)$`);
const TOTAL = /^TOTAL: (?:(\d+) FAILED, )?(\d+) SUCCESS$/;

/** Karma's progress reporter: each failed spec with its message and stack indented under it, then `TOTAL:`. */
export function karmaExtractor(): Extractor {
  let open: { title: string; error: boolean; lines: string[] } | undefined;

  function close(ctx: ExtractContext): void {
    if (!open) return;
    const { title, error, lines } = open;
    open = undefined;
    ex.active = false;
    const place = firstAppFrame(lines);
    const reason = lines.filter((l) => !/^\s*at /.test(l));
    ctx.emit({
      kind: error ? "crash" : "test",
      tool: "karma",
      title: title || (message(reason, 1) || "the browser reported an error"),
      file: place?.file,
      line: place?.line,
      column: place?.column,
      message: message(reason, 4),
      excerpt: excerpt(lines),
    });
  }

  const ex: Extractor = {
    trigger: /\) .* FAILED$|\) ERROR$|^TOTAL: /,
    active: false,
    feed(line, ctx) {
      if (open) {
        if (/^\s/.test(line) && line.trim() !== "") {
          // Karma indents with a tab; Jasmine's own frames say nothing.
          if (open.lines.length < 40 && !/^\s*at <Jasmine>$/.test(line)) open.lines.push(line.replace(/^\t/, ""));
          return true;
        }
        close(ctx);
      }
      const total = TOTAL.exec(line);
      if (total) {
        ctx.count({ failed: Number(total[1] ?? 0), passed: Number(total[2]) });
        return true;
      }
      const result = RESULT.exec(line);
      if (!result) return false;
      open = { title: (result[1] ?? "").trim(), error: result[2] === "ERROR", lines: [] };
      ex.active = true;
      return true;
    },
    flush(ctx) {
      close(ctx);
    },
  };
  return ex;
}
