import { repoRelative } from "./paths.ts";
import type { Draft } from "./extractors/types.ts";
import { clip, MAX_EXCERPT_LINES } from "./extractors/text.ts";
import type { Failure } from "./types.ts";

/** Distinct failures kept per log; more are counted, not listed. */
const MAX_FAILURES = 50;
const MAX_PATCH_CHARS = 64 * 1024;

/** Identical failures (same tool, title, place and first message line) are kept once with a count. */
export function failureKey(f: Pick<Failure, "kind" | "tool" | "title" | "file" | "line" | "message">): string {
  const firstLine = f.message.split("\n", 1)[0] ?? "";
  // Durations and addresses differ between otherwise identical repeats.
  const stable = firstLine.replace(/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds)\b|0x[0-9a-f]+/gi, "#");
  return [f.kind, f.tool, f.title, f.file ?? "", f.line ?? "", stable].join("\u0000");
}

export function createFailureSet(limit = MAX_FAILURES) {
  const byKey = new Map<string, Failure>();
  let omitted = 0;

  return {
    add(draft: Draft): void {
      const failure: Failure = {
        kind: draft.kind,
        tool: draft.tool,
        title: clip(draft.title.trim(), 300),
        message: draft.message,
        excerpt: draft.excerpt.slice(0, MAX_EXCERPT_LINES).map((l) => clip(l)),
        count: 1,
      };
      if (draft.file) failure.file = repoRelative(draft.file);
      if (draft.line !== undefined && draft.line > 0) failure.line = draft.line;
      if (draft.column !== undefined && draft.column > 0) failure.column = draft.column;
      if (draft.patch && draft.patch.length <= MAX_PATCH_CHARS) failure.patch = draft.patch;
      const key = failureKey(failure);
      const known = byKey.get(key);
      if (known) known.count += 1;
      else if (byKey.size < limit) byKey.set(key, failure);
      else omitted += 1;
    },
    retitle(tool: string, match: (title: string) => boolean, title: string): boolean {
      for (const [key, failure] of byKey) {
        if (failure.tool !== tool || !match(failure.title)) continue;
        byKey.delete(key);
        failure.title = title;
        const renamed = failureKey(failure);
        const twin = byKey.get(renamed);
        if (twin) twin.count += failure.count;
        else byKey.set(renamed, failure);
        return true;
      }
      return false;
    },
    get size(): number {
      return byKey.size;
    },
    list(): Failure[] {
      return [...byKey.values()];
    },
    get omitted(): number {
      return omitted;
    },
  };
}

