import type { Draft } from "./extractors/types.ts";
import { clip, excerpt, firstAppFrame } from "./extractors/text.ts";

/** Lines that say something went wrong, whatever the tool (also an exception class: Ruby's `(ZeroDivisionError)`). */
export const ERRORISH =
  /\b(?:error|errors|failed|failure|fatal|panic|panicked|exception|traceback|assertion|cannot|could not|couldn't|unable to|not found|no such file|denied|refused|invalid|undefined|unexpected|segmentation fault|aborted|core dumped)\b|\w(?:Error|Exception)\b|✗|✖|×|ERR!/i;

/** Error-looking lines that only point elsewhere (where a log was written, how to get more output). */
export const BOILERPLATE =
  /A complete log of this run can be found in|^npm (?:ERR!|error)\s*$|^\[ERROR\]\s*(?:$|->|To see the full stack trace|Re-run Maven using|For more information about the errors|\[Help \d+\])|^(?:\* )?(?:Try|Get more help at|Run with --(?:stacktrace|info|debug|scan))|^error: Recipe `|^make(?:\[\d+\])?: \*\*\* |^ELIFECYCLE|Command failed with exit code|^error Command failed|^info Visit https|^npm (?:ERR!|error) (?:code|errno|syscall|path|command|signal|workspace|location|Lifecycle script) |Process completed with exit code|Exited with code|exited with status|^ERROR: Job failed|^Error: Process completed/;

/** A step's failing exit: the line each provider (or build tool) prints when a command fails. */
export const EXIT =
  /^(?:Error: )?Process completed with exit code (\d+)\.?$|^Exited with code (?:exit status )?(\d+)$|^🚨 Error: The command exited with status (-?\d+)$|^ERROR: Job failed: (?:exit code (\d+)|.+)$|^make(?:\[\d+\])?: \*\*\* \[.*\] Error (\d+)$|Command failed with exit code (\d+)\.?$|^exit status (\d+)$/;

export function exitCode(m: RegExpExecArray): number | undefined {
  for (let i = 1; i < m.length; i += 1) if (m[i] !== undefined) return Number(m[i]);
  return undefined;
}

const MAX_BLOCK = 12;

/**
 * The fallback when no extractor recognised the failure: the last error-looking block of the failed step (never
 * the setup output before it), or the step's last lines when nothing looks like an error.
 */
export function genericFailure(
  stepLines: readonly string[],
  code: number | undefined,
  requireError: boolean,
): Draft | undefined {
  const lines = stepLines.filter((l) => !EXIT.test(l));
  let end = -1;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const l = lines[i] as string;
    if (ERRORISH.test(l) && !BOILERPLATE.test(l)) {
      end = i;
      break;
    }
  }
  const exitText = code === undefined ? "The step failed" : `The step failed with exit code ${code}`;
  if (end === -1) {
    if (requireError) return undefined;
    const last = lines.filter((l) => l.trim() !== "" && !BOILERPLATE.test(l)).slice(-10);
    if (last.length === 0) return undefined;
    return { kind: "error", tool: "generic", title: exitText, message: clip(last.at(-1)?.trim() ?? ""), excerpt: excerpt(last) };
  }
  let start = end;
  while (start > 0 && end - start < MAX_BLOCK - 1) {
    const prev = lines[start - 1] as string;
    if (prev.trim() === "" || prev.startsWith("$ ")) break;
    start -= 1;
  }
  let stop = end + 1;
  while (stop < lines.length && stop - start < MAX_BLOCK + 3 && (lines[stop] as string).trim() !== "" && !BOILERPLATE.test(lines[stop] as string)) {
    stop += 1;
  }
  const block = lines.slice(start, stop);
  const headline = block.find((l) => ERRORISH.test(l) && !BOILERPLATE.test(l)) ?? (lines[end] as string);
  const frame = firstAppFrame(block);
  return {
    kind: "error",
    tool: "generic",
    title: clip(headline.trim(), 200),
    file: frame?.file,
    line: frame?.line,
    column: frame?.column,
    message: clip((lines[end] as string).trim()),
    excerpt: excerpt(block),
  };
}
