import type { FilePatch, Hunk } from "./types.ts";

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const INDEX = /^index ([0-9a-f]{7,64})\.\.([0-9a-f]{7,64})(?: \d{6})?$/;

export class PatchUnparsable extends Error {}

/**
 * Reads a unified diff strictly: every hunk's line counts must match its header, every file must be a change to
 * an existing path (`--- a/p` / `+++ b/p`, the same p), and nothing else may sit between the hunks. Anything it
 * cannot read exactly is refused rather than guessed at.
 */
export function parseUnifiedDiff(text: string): FilePatch[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines.at(-1) === "") lines.pop();
  const files: FilePatch[] = [];
  let i = 0;
  let pendingIndex: string | undefined;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.startsWith("diff --git ") || line === "") {
      i += 1;
      continue;
    }
    const index = INDEX.exec(line);
    if (index) {
      pendingIndex = index[1];
      i += 1;
      continue;
    }
    if (/^(?:new|deleted) file mode |^(?:old|new) mode |^rename |^similarity |^Binary files /.test(line)) {
      throw new PatchUnparsable("the diff creates, deletes, renames or changes the mode of a file");
    }
    if (!line.startsWith("--- ")) throw new PatchUnparsable(`unexpected line outside a hunk: ${line.slice(0, 80)}`);
    const next = lines[i + 1];
    if (next === undefined || !next.startsWith("+++ ")) throw new PatchUnparsable("a `---` line without its `+++` line");
    const oldPath = headerPath(line.slice(4));
    const newPath = headerPath(next.slice(4));
    if (oldPath === "/dev/null" || newPath === "/dev/null") throw new PatchUnparsable("the diff creates or deletes a file");
    if (oldPath !== newPath) throw new PatchUnparsable(`the diff renames ${oldPath} to ${newPath}`);
    i += 2;
    const file: FilePatch = { path: newPath, hunks: [], oldNoNewline: false, newNoNewline: false };
    if (pendingIndex) file.oldBlob = pendingIndex;
    pendingIndex = undefined;
    while (i < lines.length && HUNK.test(lines[i] as string)) {
      const h = HUNK.exec(lines[i] as string)!;
      let oldLeft = Number(h[2] ?? 1);
      let newLeft = Number(h[4] ?? 1);
      const hunk: Hunk = { oldStart: Number(h[1]), lines: [] };
      i += 1;
      while (oldLeft > 0 || newLeft > 0) {
        const body = lines[i];
        if (body === undefined) throw new PatchUnparsable(`a hunk of ${file.path} ends early`);
        const op = body[0];
        if (op !== " " && op !== "-" && op !== "+") throw new PatchUnparsable(`a hunk of ${file.path} has fewer lines than its header says`);
        if (op !== "+") oldLeft -= 1;
        if (op !== "-") newLeft -= 1;
        if (oldLeft < 0 || newLeft < 0) throw new PatchUnparsable(`a hunk of ${file.path} has more lines than its header says`);
        hunk.lines.push({ op, text: body.slice(1) });
        i += 1;
        if (lines[i] === "\\ No newline at end of file") {
          if (op !== "+") file.oldNoNewline = true;
          if (op !== "-") file.newNoNewline = true;
          i += 1;
        }
      }
      if (!hunk.lines.some((l) => l.op !== " ")) throw new PatchUnparsable(`a hunk of ${file.path} changes nothing`);
      file.hunks.push(hunk);
    }
    if (file.hunks.length === 0) throw new PatchUnparsable(`no hunk for ${file.path}`);
    if (files.some((f) => f.path === file.path)) throw new PatchUnparsable(`${file.path} appears twice`);
    files.push(file);
  }
  if (files.length === 0) throw new PatchUnparsable("the diff changes no file");
  return files;
}

/** `a/src/x.go\t2026-01-01 ...` → `src/x.go`; the path is checked by the policy, not here. */
function headerPath(raw: string): string {
  const path = raw.split("\t")[0]!.trimEnd();
  if (path === "/dev/null") return path;
  return path.replace(/^[ab]\//, "");
}

export class PatchDoesNotApply extends Error {}

/**
 * Applies the hunks to the file exactly: every context and removed line must be where the hunk says (no fuzz, no
 * offset), so a patch printed for another version of the file is refused rather than misplaced.
 */
export function applyPatch(content: string, patch: FilePatch): string {
  const endsWithNewline = content.endsWith("\n");
  const crlf = content.includes("\r\n");
  const body = endsWithNewline ? content.slice(0, -1) : content;
  const lines = content === "" ? [] : body.split("\n").map((l) => (crlf ? l.replace(/\r$/, "") : l));
  if (patch.oldNoNewline && endsWithNewline) {
    throw new PatchDoesNotApply(`${patch.path}: the final newline differs from the file at the head commit`);
  }
  const out: string[] = [];
  let cursor = 0;
  for (const hunk of patch.hunks) {
    const start = Math.max(hunk.oldStart - 1, 0);
    const hasOld = hunk.lines.some((l) => l.op !== "+");
    const at = hasOld ? start : hunk.oldStart;
    if (at < cursor) throw new PatchDoesNotApply(`${patch.path}: hunks overlap or are out of order`);
    out.push(...lines.slice(cursor, at));
    let pos = at;
    for (const line of hunk.lines) {
      if (line.op === "+") {
        out.push(line.text);
        continue;
      }
      if (lines[pos] !== line.text) {
        throw new PatchDoesNotApply(`${patch.path}: line ${pos + 1} at the head commit is not what the patch expects`);
      }
      if (line.op === " ") out.push(line.text);
      pos += 1;
    }
    cursor = pos;
  }
  out.push(...lines.slice(cursor));
  const eol = crlf ? "\r\n" : "\n";
  const finalEol = !patch.newNoNewline && out.length > 0 && (endsWithNewline || patch.oldNoNewline);
  return out.join(eol) + (finalEol ? eol : "");
}

/** The diff text of one validated file, as `git apply` reads it (shown in the comment for hunks outside the PR). */
export function formatFilePatch(patch: FilePatch): string {
  const out = [`diff --git a/${patch.path} b/${patch.path}`, `--- a/${patch.path}`, `+++ b/${patch.path}`];
  for (const hunk of patch.hunks) {
    const oldCount = hunk.lines.filter((l) => l.op !== "+").length;
    const newCount = hunk.lines.filter((l) => l.op !== "-").length;
    const offset = offsetBefore(patch, hunk);
    const newStart = oldCount === 0 ? hunk.oldStart + 1 + offset : newCount === 0 ? hunk.oldStart - 1 + offset : hunk.oldStart + offset;
    out.push(`@@ -${hunk.oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const line of hunk.lines) out.push(`${line.op}${line.text}`);
  }
  return out.join("\n") + "\n";
}

function offsetBefore(patch: FilePatch, hunk: Hunk): number {
  let offset = 0;
  for (const h of patch.hunks) {
    if (h === hunk) break;
    offset += h.lines.filter((l) => l.op === "+").length - h.lines.filter((l) => l.op === "-").length;
  }
  return offset;
}
