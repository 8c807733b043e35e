import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { NETWORK_CODES } from "./infrastructure.ts";
import { clip, firstSentences } from "./text.ts";

const CODE = /^npm (?:error|ERR!) code (E[A-Z0-9_]+)$/;
const PREFIX = /^npm (?:error|ERR!) ?/;
/** Codes for the network or the registry itself: infrastructure, told by the analyser's network rule. */
const isNetwork = (code: string): boolean => NETWORK_CODES.includes(code) || /^E(?:HOSTUNREACH|5\d\d)$/.test(code);
/** npm's detail rows and the help it appends are not the message. */
const DETAIL = /^(?:errno|syscall|path|command|signal|workspace|location|dest|code) /;
const END = /^(?:Usage:|A complete log of this run can be found in|Log files were not written)/;
const MAX_LINES = 12;
const MAX_PARAGRAPHS = 2;

/**
 * npm's own errors: `npm error code EUSAGE` (`npm ci` with a lock file out of sync), `E404` (a dependency that does
 * not exist), `ERESOLVE` (a peer-dependency conflict)... followed by the message, then details, usage and a pointer
 * to the debug log. A script that failed (`code 1`) is not one: its own output says why.
 */
export function npmExtractor(): Extractor {
  let open: { code: string; lines: string[]; paragraphs: number } | undefined;

  function finish(ctx: ExtractContext): void {
    if (!open) return;
    const { code, lines } = open;
    open = undefined;
    ex.active = false;
    while (lines.at(-1) === "") lines.pop();
    const first = lines.find((l) => l !== "");
    if (!first) return;
    const draft: Draft = {
      kind: "error",
      tool: "npm",
      title: clip(firstSentences(first), 200),
      message: clip(lines.filter((l) => l !== "").join(" ")),
      excerpt: [`npm error code ${code}`, ...lines].map((l) => clip(l)),
    };
    ctx.emit(draft);
  }

  const ex: Extractor = {
    trigger: /^npm (?:error|ERR!) code E[A-Z0-9_]+$/,
    active: false,
    feed(line, ctx) {
      const code = CODE.exec(line);
      if (code) {
        finish(ctx);
        if (isNetwork(code[1] as string)) return false;
        open = { code: code[1] as string, lines: [], paragraphs: 0 };
        ex.active = true;
        return true;
      }
      if (!open) return false;
      if (!PREFIX.test(line)) {
        finish(ctx);
        return false;
      }
      const text = line.replace(PREFIX, "").trimEnd();
      if (END.test(text)) {
        finish(ctx);
        return true;
      }
      if (text === "") {
        if (open.lines.length > 0 && open.lines.at(-1) !== "") {
          open.paragraphs += 1;
          open.lines.push("");
        }
      } else if (open.paragraphs < MAX_PARAGRAPHS && open.lines.length < MAX_LINES && !DETAIL.test(text)) {
        open.lines.push(text);
      }
      return true;
    },
    flush(ctx) {
      finish(ctx);
    },
  };
  return ex;
}
