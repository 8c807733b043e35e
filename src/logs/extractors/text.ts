/** Helpers shared by the extractors: short excerpts, messages, stack-frame filtering. */

export const MAX_EXCERPT_LINES = 15;
const MAX_LINE = 400;

/** A message's first sentence, or its first two when the first is short ("Parse error." alone says little). */
export function firstSentences(text: string, short = 40): string {
  const end = /[.!?](?=\s|$)/g;
  let m = end.exec(text);
  if (m && m.index + 1 < short) m = end.exec(text);
  return m ? text.slice(0, m.index + 1) : text;
}

export function clip(line: string, max = MAX_LINE): string {
  return line.length > max ? line.slice(0, max - 1) + "…" : line;
}

const NOISE_FRAME =
  /^\s*at (?:.*[(\s])?(?:node:|internal\/|.*\/node_modules\/|.*[\\/]node_modules[\\/]|java\.base\/|(?:java|javax|jdk|sun|org\.junit|junit|org\.apache\.maven|org\.gradle|worker\.org\.gradle)\.|.*<anonymous>\)?$)|^\s*at (?:async )?Promise\.all|^\s*at process\.processTicksAndRejections/;

/** Stack frames a maintainer never needs: runtime internals, dependencies, test-framework plumbing. */
function isNoiseFrame(line: string): boolean {
  return NOISE_FRAME.test(line);
}

/**
 * A short excerpt: blank edges trimmed, blank runs collapsed, dependency/runtime frames dropped, common indentation
 * removed, at most `max` lines of at most MAX_LINE characters.
 */
export function excerpt(lines: readonly string[], max = MAX_EXCERPT_LINES): string[] {
  const kept: string[] = [];
  lines = compressCodeFrames(lines);
  let blank = false;
  for (const line of lines) {
    if (line.trim() === "") {
      blank = kept.length > 0;
      continue;
    }
    if (isNoiseFrame(line)) continue;
    if (blank) kept.push("");
    blank = false;
    kept.push(line.trimEnd());
  }
  const indent = Math.min(...kept.filter((l) => l !== "").map((l) => /^ */.exec(l)?.[0].length ?? 0));
  const out = kept.map((l) => clip(l.slice(Number.isFinite(indent) ? indent : 0)));
  if (out.length <= max) return out;
  return [...out.slice(0, max - 1), "…"];
}

const CODE_LINE = /^\s*>?\s*\d+\s*\|/;
const MARKER_LINE = /^\s*\|\s*[\^~]/;

/**
 * Code frames (vitest, jest, gcc, rustc) show up to six lines of source around the error; the line pointed at, the
 * one before it and the marker under it say the same in three.
 */
function compressCodeFrames(lines: readonly string[]): readonly string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!CODE_LINE.test(lines[i] as string) && !MARKER_LINE.test(lines[i] as string)) {
      out.push(lines[i] as string);
      i += 1;
      continue;
    }
    let end = i;
    while (end < lines.length && (CODE_LINE.test(lines[end] as string) || MARKER_LINE.test(lines[end] as string))) end += 1;
    const run = lines.slice(i, end);
    if (run.length <= 4) {
      out.push(...run);
    } else {
      const keep = new Set<number>();
      run.forEach((l, k) => {
        const pointed = /^\s*>/.test(l) || MARKER_LINE.test(run[k + 1] ?? "");
        if (pointed) [k - 1, k].forEach((n) => n >= 0 && keep.add(n));
        if (MARKER_LINE.test(l)) keep.add(k);
      });
      if (keep.size === 0) run.slice(0, 4).forEach((_, k) => keep.add(k));
      out.push(...run.filter((_, k) => keep.has(k)));
    }
    i = end;
  }
  return out;
}

/** The first `max` non-blank lines, trimmed, joined with newlines. */
export function message(lines: readonly string[], max = 5): string {
  const out: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (t === "") continue;
    out.push(clip(t));
    if (out.length >= max) break;
  }
  return out.join("\n");
}

export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i += 1;
  return i;
}

/** `(path:line:col)` or `path:line:col` in a JavaScript stack frame. */
const JS_FRAME = /^\s*at (?:.*? \()?(?:file:\/\/)?([^()\s]+?):(\d+):(\d+)\)?\s*$/;

export interface Location {
  file: string;
  line: number;
  column?: number;
}

/** The first stack frame in the user's code (not node internals, not node_modules). */
export function firstAppFrame(lines: readonly string[]): Location | undefined {
  for (const line of lines) {
    if (isNoiseFrame(line)) continue;
    const m = JS_FRAME.exec(line);
    if (m) return { file: m[1] as string, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** Sums the `N word` pairs of a summary such as "3 failed, 3 passed, 6 total". */
export function countWords(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/(\d+) ([a-z]+)/gi)) {
    const word = (m[2] as string).toLowerCase();
    out.set(word, (out.get(word) ?? 0) + Number(m[1]));
  }
  return out;
}
