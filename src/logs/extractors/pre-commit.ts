import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { excerpt } from "./text.ts";

/** `No TODO comments..........Failed` (the dots pad the name to the terminal width). */
const HOOK = /^(.+?)\.{3,}(Passed|Failed|Skipped)$/;
const DETAIL = /^- (?:hook id: |exit code: |duration: |files were modified by this hook$)/;
/** pygrep hooks and many linters print `file:line:` first. */
const PLACE = /^([^\s:][^:]*):(\d+):/;
const MAX_OUTPUT = 40;

/**
 * pre-commit's report: one line per hook, and under a failed hook its id, exit code and output. The output is left
 * to the other extractors (flake8, eslint, a diff...); a failed hook whose output none of them recognised is
 * reported as the hook's own failure, with that output.
 */
export function preCommitExtractor(): Extractor {
  let open: { name: string; id?: string; modified: boolean; output: string[]; before: number } | undefined;

  function finish(ctx: ExtractContext): void {
    if (!open) return;
    const { name, id, modified, output, before } = open;
    open = undefined;
    ex.active = false;
    if (id === undefined || ctx.emitted() > before) return;
    const first = output.find((l) => l.trim() !== "")?.trim();
    const place = first ? PLACE.exec(first) : null;
    const draft: Draft = {
      kind: modified ? "format" : "lint",
      tool: "pre-commit",
      title: `pre-commit hook "${id}" failed${modified ? ": it changed files (run pre-commit locally and commit the result)" : ""}`,
      message: first ?? `${name} failed.`,
      excerpt: excerpt(output),
    };
    if (place) {
      draft.file = place[1] as string;
      draft.line = Number(place[2]);
    }
    ctx.emit(draft);
  }

  const ex: Extractor = {
    trigger: /\.{3}Failed$/,
    active: false,
    feed(line, ctx) {
      const hook = HOOK.exec(line);
      if (hook) {
        finish(ctx);
        if (hook[2] !== "Failed") return true;
        open = { name: (hook[1] as string).trim(), modified: false, output: [], before: ctx.emitted() };
        ex.active = true;
        return true;
      }
      if (!open) return false;
      // pre-commit names the hook on the very next line; another tool's dotted "Failed" is not its report.
      if (open.id === undefined && !line.startsWith("- hook id: ")) {
        open = undefined;
        ex.active = false;
        return false;
      }
      if (DETAIL.test(line)) {
        if (line.startsWith("- hook id: ")) open.id = line.slice("- hook id: ".length).trim();
        if (line.startsWith("- files were modified")) open.modified = true;
        return true;
      }
      // The output is the other extractors' to read too.
      if (open.output.length < MAX_OUTPUT) open.output.push(line);
      return false;
    },
    flush(ctx) {
      finish(ctx);
    },
  };
  return ex;
}
