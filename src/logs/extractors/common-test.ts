import type { ExtractContext, Extractor } from "./types.ts";
import { clip, excerpt, message } from "./text.ts";

/** ct_run frames each failure between rules of `- - - -`. */
const RULE = /^(?:- ){20,}-?$/;
/** `calc_SUITE:sub failed on line 10` (the innermost function with a line: a library's when the test called it). */
const FAILED_AT = /^(\w+):(\w+) failed on line (\d+)$/;
/** `Testing app.ct: TEST COMPLETE, 1 ok, 2 failed, 1 skipped of 4 test cases` */
const COMPLETE = /^Testing \S+: TEST COMPLETE, (\d+) ok, (\d+) failed(?:, (\d+) skipped)? of \d+ test cases?/;
/** rebar3 ct: `%%% calc_SUITE ==> sub: FAILED`, then `%%% calc_SUITE ==> {reason…` continued on indented lines. */
const REBAR_CASE = /^%%% (\w+) ==> (\w+): FAILED$/;
const REBAR_REASON = /^%%% \w+ ==> (.+)$/;
/** `Failed 2 tests. Passed 1 tests.` (rebar3 adds `Skipped N (…) tests.` when some were). */
const REBAR_TOTAL = /^Failed (\d+) tests?\. (?:Skipped (\d+) .*? tests?\. )?Passed (\d+) tests?\./;
/** erlc: `calc_SUITE.erl:2:14: can't find include lib "…"` (warnings say `Warning:`). */
const ERLC = /^(\S+\.[eh]rl):(\d+):(?:(\d+):)? (?!Warning: )(.+)$/;

/**
 * Erlang common_test, run by `ct_run` (each failure framed by `- - -` rules: where it failed and `Reason:`) or by
 * `rebar3 ct` (`%%% Suite ==> case: FAILED` and the reason term); plus the erlc errors that stop a suite loading.
 */
export function commonTestExtractor(): Extractor {
  let framed: string[] | undefined;
  let rebar: { suite: string; name: string; lines: string[] } | undefined;

  function closeFramed(ctx: ExtractContext): void {
    const lines = framed;
    framed = undefined;
    ex.active = rebar !== undefined;
    if (!lines || lines.length === 0) return;
    const at = FAILED_AT.exec(lines[0] as string);
    const detected = /^Error detected: '?(.+?)'?$/.exec(lines[0] as string);
    const reason = lines.filter((l) => l.startsWith("Reason: ")).map((l) => l.slice(8));
    ctx.emit({
      kind: detected ? "crash" : "test",
      tool: "common_test",
      title: at ? `${at[1]}:${at[2]}` : clip(detected?.[1] ?? (lines[0] as string), 300),
      line: at ? Number(at[3]) : undefined,
      message: message(reason.length > 0 ? [lines[0] as string, ...reason] : lines, 4),
      excerpt: excerpt(lines),
    });
  }

  function closeRebar(ctx: ExtractContext): void {
    const open = rebar;
    rebar = undefined;
    ex.active = framed !== undefined;
    if (!open) return;
    const term = open.lines.join("\n");
    // The reason's stack names the suite's own frame: `{calc_SUITE,sub,1,[{file,"…"},{line,10}]}`.
    const own = new RegExp(`\\{${open.suite},\\w+,\\d+,\\[\\{file,"([^"]+)"\\},\\{line,(\\d+)\\}`).exec(term);
    ctx.emit({
      kind: "test",
      tool: "common_test",
      title: `${open.suite}:${open.name}`,
      file: own?.[1],
      line: own ? Number(own[2]) : undefined,
      message: clip(term.replace(/\s+/g, " "), 300),
      excerpt: excerpt(open.lines),
    });
  }

  const ex: Extractor = {
    trigger: /^(?:- ){20,}|^Testing \S+: TEST COMPLETE, |^%%% \w+ ==> \w+: FAILED$|^Failed \d+ tests?\. |\.[eh]rl:\d+:/,
    active: false,
    feed(line, ctx) {
      if (framed) {
        if (RULE.test(line)) {
          closeFramed(ctx);
          return true;
        }
        if (framed.length < 40 && line.trim() !== "") framed.push(line);
        return true;
      }
      if (rebar) {
        const reason = rebar.lines.length === 0 ? REBAR_REASON.exec(line) : null;
        if (reason) {
          rebar.lines.push(reason[1] as string);
          return true;
        }
        if (rebar.lines.length > 0 && /^\s+\S/.test(line)) {
          if (rebar.lines.length < 30) rebar.lines.push(line);
          return true;
        }
        closeRebar(ctx);
      }
      if (RULE.test(line)) {
        framed = [];
        ex.active = true;
        return true;
      }
      const complete = COMPLETE.exec(line);
      if (complete) {
        const skipped = complete[3] === undefined ? 0 : Number(complete[3]);
        ctx.count({ passed: Number(complete[1]), failed: Number(complete[2]), skipped });
        return true;
      }
      const rebarTotal = REBAR_TOTAL.exec(line);
      if (rebarTotal) {
        ctx.count({ failed: Number(rebarTotal[1]), passed: Number(rebarTotal[3]), skipped: Number(rebarTotal[2] ?? 0) });
        return true;
      }
      const rebarCase = REBAR_CASE.exec(line);
      if (rebarCase) {
        rebar = { suite: rebarCase[1] as string, name: rebarCase[2] as string, lines: [] };
        ex.active = true;
        return true;
      }
      const erlc = ERLC.exec(line);
      if (erlc) {
        const [, file, row, col, text] = erlc as unknown as [string, string, string, string | undefined, string];
        ctx.emit({
          kind: "compile",
          tool: "erlc",
          title: clip(text.trim(), 300),
          file,
          line: Number(row),
          column: col === undefined ? undefined : Number(col),
          message: clip(text.trim()),
          excerpt: [clip(line)],
        });
        return true;
      }
      return false;
    },
    flush(ctx) {
      closeFramed(ctx);
      closeRebar(ctx);
    },
  };
  return ex;
}
