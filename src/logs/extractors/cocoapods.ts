import type { ExtractContext, Extractor } from "./types.ts";
import { clip } from "./text.ts";

/** `    - ERROR | [iOS] xcodebuild:  Foo.swift:3:8: error: no such module 'Bar'` */
const RESULT = /^\s*- (ERROR|WARN) +\| (?:\[([^\]]+)\] )?(.+)$/;
/** `[!] MyLib did not pass validation, due to 2 errors and 1 warning.` */
const VERDICT = /^\[!\] (\S+) did not pass validation, due to (?:(\d+) errors?)?(?: and )?(?:(\d+) warnings?)?/;

/**
 * `pod lib lint` / `pod spec lint`: each validation result is a `- ERROR |` or `- WARN  |` line under the pod's
 * ` -> Name (version)` header; the closing `[!] … did not pass validation` line only counts them. The counted
 * results are the failure: errors, or the warnings when only warnings failed the lint.
 */
export function cocoapodsExtractor(): Extractor {
  let results: { level: string; platform?: string; text: string; line: string }[] = [];

  function report(ctx: ExtractContext, pod: string | undefined, onlyWarnings: boolean): void {
    const chosen = results.filter((r) => (onlyWarnings ? r.level === "WARN" : r.level === "ERROR"));
    results = [];
    for (const r of chosen) {
      ctx.emit({
        kind: "lint",
        tool: "cocoapods",
        title: clip(r.text, 300),
        message: [pod ? `${pod} did not pass validation` : "", r.platform ? `platform: ${r.platform}` : ""].filter(Boolean).join("\n") || r.text,
        excerpt: [r.line.trim()],
      });
    }
  }

  const ex: Extractor = {
    trigger: /^\s*- (?:ERROR|WARN) +\| |^\[!\] \S+ did not pass validation, /,
    active: false,
    feed(line, ctx) {
      const r = RESULT.exec(line);
      if (r) {
        if (results.length < 50) results.push({ level: r[1] as string, platform: r[2], text: (r[3] as string).trim(), line });
        return true;
      }
      const v = VERDICT.exec(line);
      if (v) {
        report(ctx, v[1], v[2] === undefined && v[3] !== undefined);
        return true;
      }
      return false;
    },
    flush(ctx) {
      // A lint cut short before its verdict: its errors still explain the failure.
      report(ctx, undefined, false);
    },
  };
  return ex;
}
