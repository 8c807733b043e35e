import type { Extractor } from "./types.ts";
import { clip, excerpt } from "./text.ts";

/** BuildKit's verdict: `ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1`. */
const SOLVE = /^(?:ERROR|error): failed to solve: (.+)$/;
/** The failed step's output, which BuildKit repeats between `------` rules: ` > [4/5] RUN npm ci:`. */
const STEP = /^ > \[.*\]:?$| > \[[^\]]*\] .*:$/;

/**
 * docker build / buildx (BuildKit): the `failed to solve` verdict names the step that failed, and the lines
 * BuildKit printed just above it (the step's last output, the Dockerfile lines around it) are its excerpt.
 */
export function dockerExtractor(): Extractor {
  const ex: Extractor = {
    trigger: /^(?:ERROR|error): failed to solve: /,
    active: false,
    feed(line, ctx) {
      const m = SOLVE.exec(line);
      if (!m) return false;
      const before = ctx.previous(40);
      const at = before.findLastIndex((l) => STEP.test(l));
      const context = at === -1 ? [] : before.slice(at).filter((l) => !/^-{6,}$/.test(l.trim()));
      ctx.emit({
        kind: "error",
        tool: "docker",
        title: clip((m[1] as string).trim(), 300),
        message: clip((m[1] as string).trim()),
        excerpt: excerpt([...context, line]),
      });
      return true;
    },
    flush() {},
  };
  return ex;
}
