import { pathRefusal } from "./policy.ts";
import type { Candidate, Fix, HeadReader, Refusal } from "./types.ts";
import { applyPatch, parseUnifiedDiff, PatchDoesNotApply, PatchUnparsable } from "./unified-diff.ts";

export interface FixLimits {
  /** Files one fix may change. */
  maxFiles: number;
  /** Added plus removed lines of one fix. */
  maxChangedLines: number;
  /** Characters of the diff text. */
  maxPatchChars: number;
}

export const DEFAULT_LIMITS: FixLimits = { maxFiles: 10, maxChangedLines: 400, maxPatchChars: 64_000 };

// A change that makes the code reach the network or run a downloaded script is never a formatting or build fix.
const NETWORK_CALL = /\b(?:curl|wget|Invoke-WebRequest|iwr|Invoke-RestMethod|nc|ncat|socat)\b|\|\s*(?:ba|z|k)?sh\b|\beval\s*\(|\bnew Function\b|\bchild_process\b|\bsubprocess\b|\bos\.system\b|\bexec\s*\(/;
const NETWORK_CALL_ALL = new RegExp(NETWORK_CALL.source, "g");
const URL_HOST = /\b(?:https?|wss?|ftp):\/\/([^/\s"'`)>]+)/gi;

/**
 * The one gate every candidate passes, from the CI log or from a model alike: it must parse, stay inside the
 * repository and off forbidden paths, be small, match the head's blobs where it names them, apply exactly to the
 * files at the head commit, and add no network call or URL to a host the file did not already name.
 */
export async function validateCandidate(candidate: Candidate, readHead: HeadReader, limits: FixLimits = DEFAULT_LIMITS): Promise<Fix | Refusal> {
  const refuse = (reason: string): Refusal => ({ candidate, reason });
  if (candidate.patch.length > limits.maxPatchChars) return refuse(`the diff is larger than ${limits.maxPatchChars} characters`);
  let patches;
  try {
    patches = parseUnifiedDiff(candidate.patch);
  } catch (error) {
    if (error instanceof PatchUnparsable) return refuse(`the diff could not be read: ${error.message}`);
    throw error;
  }
  if (patches.length > limits.maxFiles) return refuse(`the diff changes ${patches.length} files (at most ${limits.maxFiles})`);
  const changed = patches.reduce((n, p) => n + p.hunks.reduce((m, h) => m + h.lines.filter((l) => l.op !== " ").length, 0), 0);
  if (changed > limits.maxChangedLines) return refuse(`the diff changes ${changed} lines (at most ${limits.maxChangedLines})`);
  for (const patch of patches) {
    const why = pathRefusal(patch.path);
    if (why) return refuse(why);
  }
  const files: Fix["files"] = [];
  for (const patch of patches) {
    const before = await readHead(patch.path);
    if (!before) return refuse(`${patch.path} is not a file at the head commit`);
    if (patch.oldBlob && !before.sha.startsWith(patch.oldBlob)) {
      return refuse(`${patch.path} at the head commit is blob ${before.sha.slice(0, 7)}, the diff was made against ${patch.oldBlob.slice(0, 7)}`);
    }
    let after: string;
    try {
      after = applyPatch(before.content, patch);
    } catch (error) {
      if (error instanceof PatchDoesNotApply) return refuse(`the diff does not apply to the head commit: ${error.message}`);
      throw error;
    }
    const risky = riskyAddition(patch.hunks.flatMap((h) => h.lines), before.content);
    if (risky) return refuse(`${patch.path}: ${risky}`);
    files.push({ path: patch.path, before, after, patch });
  }
  return { candidate, files };
}

function riskyAddition(lines: ReadonlyArray<{ op: string; text: string }>, before: string): string | null {
  const removed = lines.filter((l) => l.op === "-").map((l) => l.text).join("\n");
  const added = lines.filter((l) => l.op === "+").map((l) => l.text).join("\n");
  // A formatter moves and splits lines that already made a call: only more calls than the removed lines made is new.
  const calls = (text: string) => (text.match(NETWORK_CALL_ALL) ?? []).length;
  if (calls(added) > calls(removed)) return "the change adds a network call or runs a command";
  for (const match of added.matchAll(URL_HOST)) {
    const host = (match[1] ?? "").toLowerCase();
    if (!before.toLowerCase().includes(host)) return `the change adds a URL to ${host}, which the file did not name`;
  }
  return null;
}

export function isRefusal(result: Fix | Refusal): result is Refusal {
  return "reason" in result;
}
