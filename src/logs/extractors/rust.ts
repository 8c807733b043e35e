import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, message } from "./text.ts";

const TEST_BLOCK = /^---- (\S+) stdout ----$/;
const PANIC_NEW = /^thread '([^']+)'(?: \(\d+\))? panicked at (.+?):(\d+):(\d+):$/;
const PANIC_OLD = /^thread '([^']+)'(?: \(\d+\))? panicked at '(.*)', (.+?):(\d+):(\d+)$/;
const RESULT = /^test result: (?:FAILED|ok)\. (\d+) passed; (\d+) failed; (\d+) ignored/;
const DIAGNOSTIC = /^error(?:\[(E\d+)\])?: (.+)$/;
const ARROW = /^\s*--> (.+?):(\d+):(\d+)$/;
const SUMMARY_ERROR = /^(?:could not compile|aborting due to|test failed, to rerun|build failed|\d+ previous errors?)/;
/** What git and docker buildx say in their own `error: ` lines (the step may run them through a script). */
const GIT_MESSAGE = /^(?:failed to push some refs|pathspec '|src refspec |Your local changes to the following files|could not apply |cannot lock ref|The following untracked working tree files|RPC failed|unable to (?:access|read tree|create)|remote |Merge conflict|Pulling is not possible|cannot (?:rebase|pull))/;
const DOCKER_MESSAGE = /^(?:failed to compute cache key|failed to read dockerfile|invalid reference format|buildx |multiple platforms feature)/;

/**
 * An `error: ` line with neither an error code nor a `-->` place is not necessarily rustc's: git, docker buildx and
 * many CLIs print the same prefix. It is labelled by the tool the message or the step names, or by none.
 */
function plainErrorTool(text: string, step: string): string {
  if (GIT_MESSAGE.test(text)) return "git";
  if (DOCKER_MESSAGE.test(text)) return "docker";
  if (/\bcargo\b/.test(step)) return "cargo";
  if (/\bdocker\b/.test(step)) return "docker";
  if (/\bgit\b/.test(step)) return "git";
  return "generic";
}

/** cargo test (`---- name stdout ----` blocks with the panic) and rustc/clippy diagnostics (`error[E…]:` + `-->`). */
export function rustExtractor(): Extractor {
  let test: { name: string; lines: string[] } | undefined;
  let diag: string[] | undefined;
  let inFailures = false;

  const ex: Extractor = {
    trigger: /^---- \S+ stdout ----$|^test result: |^thread '.*' (?:\(\d+\) )?panicked at |^error(?:\[E\d+\])?: /,
    active: false,
    feed(line, ctx) {
      if (diag) {
        if (line.trim() === "" || DIAGNOSTIC.test(line) || /^(?:warning|note|help)(?:\[\w+\])?: /.test(line) && !line.startsWith("help")) {
          closeDiag(ctx);
        } else {
          if (diag.length < 40) diag.push(line);
          return true;
        }
      }
      const block = TEST_BLOCK.exec(line);
      if (block) {
        closeTest(ctx);
        test = { name: block[1] as string, lines: [] };
        inFailures = true;
        ex.active = true;
        return true;
      }
      const result = RESULT.exec(line);
      if (result) {
        ex.flush(ctx);
        ctx.count({ passed: Number(result[1]), failed: Number(result[2]), skipped: Number(result[3]) });
        return true;
      }
      if (DIAGNOSTIC.test(line)) {
        closeTest(ctx);
        diag = [line];
        ex.active = true;
        return true;
      }
      if (test) {
        if (line === "failures:") {
          closeTest(ctx);
          return true;
        }
        if (test.lines.length < 60) test.lines.push(line);
        return true;
      }
      if (inFailures) return true;
      const panic = PANIC_NEW.exec(line) ?? PANIC_OLD.exec(line);
      if (panic) {
        test = { name: "", lines: [line] };
        ex.active = true;
        return true;
      }
      ex.active = false;
      return false;
    },
    flush(ctx) {
      closeTest(ctx);
      closeDiag(ctx);
      inFailures = false;
      ex.active = false;
    },
  };

  function closeTest(ctx: ExtractContext): void {
    if (!test) return;
    const { name, lines } = test;
    test = undefined;
    ex.active = inFailures;
    const at = lines.findIndex((l) => PANIC_NEW.test(l) || PANIC_OLD.test(l));
    if (at === -1 && name === "") return;
    const head = at === -1 ? "" : (lines[at] as string);
    const fresh = PANIC_NEW.exec(head);
    const old = PANIC_OLD.exec(head);
    const afterPanic = at === -1 ? lines : lines.slice(at + 1);
    const detailEnd = afterPanic.findIndex((l) => /^(?:note: |stack backtrace:)/.test(l));
    const detail = detailEnd === -1 ? afterPanic : afterPanic.slice(0, detailEnd);
    const msg = old ? (old[2] as string) : message(detail, 4);
    const shown = at === -1 ? lines : [head, ...detail];
    ctx.emit({
      kind: name ? "test" : "crash",
      tool: name ? "cargo test" : "rust",
      title: name || `thread '${(fresh ?? old)?.[1] ?? "main"}' panicked`,
      file: fresh?.[2] ?? old?.[3],
      line: fresh ? Number(fresh[3]) : old ? Number(old[4]) : undefined,
      column: fresh ? Number(fresh[4]) : old ? Number(old[5]) : undefined,
      message: msg,
      excerpt: excerpt(shown),
    });
  }

  function closeDiag(ctx: ExtractContext): void {
    if (!diag) return;
    const lines = diag;
    diag = undefined;
    ex.active = test !== undefined || inFailures;
    const head = DIAGNOSTIC.exec(lines[0] as string);
    if (!head) return;
    const arrow = lines.map((l) => ARROW.exec(l)).find((m) => m);
    const text = head[2] as string;
    if (!arrow && SUMMARY_ERROR.test(text)) return;
    // BuildKit's verdict: the docker reader reads it with the step output above it.
    if (!arrow && text.startsWith("failed to solve: ")) return;
    const clippy = lines.some((l) => /clippy::/.test(l));
    const rustc = arrow !== undefined || head[1] !== undefined || clippy;
    ctx.emit({
      kind: clippy ? "lint" : rustc ? "compile" : "error",
      tool: clippy ? "clippy" : rustc ? "rustc" : plainErrorTool(text, ctx.step()),
      title: head[1] ? `${text} [${head[1]}]` : text,
      file: arrow?.[1],
      line: arrow ? Number(arrow[2]) : undefined,
      column: arrow ? Number(arrow[3]) : undefined,
      message: text,
      excerpt: excerpt(lines),
    });
  }

  return ex;
}
