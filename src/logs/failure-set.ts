import { repoRelative } from "./paths.ts";
import type { Draft } from "./extractors/types.ts";
import { clip, MAX_EXCERPT_LINES } from "./extractors/text.ts";
import type { Failure } from "./types.ts";

/** Distinct failures kept per log; more are counted, not listed. */
const MAX_FAILURES = 50;
/** Failures held while reading: more than are listed, so that a cause found late still outranks earlier noise. */
const HELD = 4;

/**
 * How much a failure explains the job: the cause of a failing exit first, then what the failing step printed,
 * then errors of a step or sub-build that later succeeded (context, listed only when nothing else was found).
 */
export const Rank = { context: 0, printed: 1, cause: 2 } as const;
export type Rank = (typeof Rank)[keyof typeof Rank];
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
  const ranks = new Map<string, Rank>();
  let omitted = 0;

  /** Drops the lowest-ranked, newest failure to make room (only when HELD × limit are held). */
  function evict(): void {
    let worst: string | undefined;
    let worstRank: number = Infinity;
    for (const [key] of byKey) {
      const r = ranks.get(key) ?? Rank.printed;
      if (r <= worstRank) {
        worst = key;
        worstRank = r;
      }
    }
    if (worst !== undefined) {
      byKey.delete(worst);
      ranks.delete(worst);
      omitted += 1;
    }
  }

  return {
    /** Adds a failure (or counts a repeat); returns its key, for `rank`. */
    add(draft: Draft, rank: Rank = Rank.printed): string {
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
      if (known) {
        known.count += 1;
        ranks.set(key, Math.max(ranks.get(key) ?? rank, rank) as Rank);
        return key;
      }
      if (byKey.size >= limit * HELD) evict();
      byKey.set(key, failure);
      ranks.set(key, rank);
      return key;
    },
    /** Sets the rank of an added failure (a cause found later, a step that turned out to succeed). */
    rank(key: string, rank: Rank): void {
      if (byKey.has(key)) ranks.set(key, rank);
    },
    retitle(tool: string, match: (title: string) => boolean, title: string): boolean {
      for (const [key, failure] of byKey) {
        if (failure.tool !== tool || !match(failure.title)) continue;
        byKey.delete(key);
        const rank = ranks.get(key) ?? Rank.printed;
        ranks.delete(key);
        failure.title = title;
        const renamed = failureKey(failure);
        const twin = byKey.get(renamed);
        if (twin) twin.count += failure.count;
        else byKey.set(renamed, failure);
        ranks.set(renamed, Math.max(ranks.get(renamed) ?? rank, rank) as Rank);
        return true;
      }
      return false;
    },
    get size(): number {
      return byKey.size;
    },
    /**
     * The failures, best-ranked first (in the order they appeared within a rank), at most `limit`. Context from
     * steps that succeeded is left out when anything else was found.
     */
    list(): Failure[] {
      const entries = [...byKey].map(([key, f]) => ({ f, r: ranks.get(key) ?? Rank.printed }));
      const best = Math.max(-1, ...entries.map((e) => e.r));
      const kept = entries.filter((e) => e.r > Rank.context || best === Rank.context);
      kept.sort((a, b) => b.r - a.r);
      return kept.slice(0, limit).map((e) => e.f);
    },
    get omitted(): number {
      const best = Math.max(-1, ...ranks.values());
      const hidden = best === Rank.context ? 0 : [...ranks.values()].filter((r) => r === Rank.context).length;
      return omitted + hidden + Math.max(0, byKey.size - hidden - limit);
    },
  };
}

