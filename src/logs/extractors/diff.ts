import { repoRelative } from "../paths.ts";
import type { ExtractContext, Extractor } from "./types.ts";
import { clip, MAX_EXCERPT_LINES } from "./text.ts";

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const GIT_HEADER = /^diff --git a\/(.+) b\/(.+)$/;
const PLAIN_HEADER = /^diff (?:-\S+ )*(\S+) (\S+)$/;
const OLD_FILE = /^--- (\S.*?)(?:\t.*)?$/;
const NEW_FILE = /^\+\+\+ (\S.*?)(?:\t.*)?$/;
const GIT_META = /^(?:index |new file mode |deleted file mode |old mode |new mode |similarity index |rename from |rename to |Binary files )/;
const RUSTFMT = /^Diff in (.+?)(?: at line (\d+))?(?::(\d+))?:$/;
const PRETTIER_DONE = /^\[warn\] Code style issues (?:found in|were found in)/;
const WOULD_REFORMAT = /^would reformat (.+)$/;
const FORMATTERS = /\b(black|ruff|gofmt|goimports|rustfmt|cargo fmt|prettier|clang-format|isort|yapf|autopep8|terraform fmt|shfmt|swift-format|swiftformat|ktlint|dart format|mix format|standardrb|rubocop)\b/;
const MAX_PATCH_LINES = 800;

interface FilePatch {
  path: string;
  /** `git diff`'s `index <old>..<new>` line: lets a fix check it was made against the same blob. */
  index?: string;
  hunks: string[];
  tool: string;
  tooBig: boolean;
}

/**
 * Formatter checks that print what they would change: unified diffs (gofmt -d, black/ruff --diff, `git diff
 * --exit-code`, clang-format), rustfmt's `Diff in` blocks (rebuilt as unified hunks), and prettier/black file lists
 * without a diff. Each file becomes one `format` failure whose `patch` applies with `git apply`.
 */
export function diffExtractor(): Extractor {
  let file: FilePatch | undefined;
  let header: { old?: string; tool: string; index?: string } | undefined;
  let hunk: { oldLeft: number; newLeft: number } | undefined;
  let rust: { path: string; start: number; lines: string[]; offset: number } | undefined;
  const reformat: string[] = [];
  const patched = new Set<string>();

  const ex: Extractor = {
    trigger: /^diff |^--- \S|^Diff in .+:$|^\[warn\] Code style issues|^would reformat /,
    active: false,
    feed(line, ctx) {
      if (rust) {
        if (/^[ +-]/.test(line) || line === "") {
          if (rust.lines.length < MAX_PATCH_LINES) rust.lines.push(line);
          return true;
        }
        closeRust();
        if (!RUSTFMT.test(line)) emitRust(ctx);
      }
      if (hunk) {
        if (line === "\\ No newline at end of file") return push(line);
        const c = line[0];
        if (c === " " || c === "-" || c === "+" || (line === "" && hunk.oldLeft > 0 && hunk.newLeft > 0)) {
          if (c !== "+") hunk.oldLeft -= 1;
          if (c !== "-") hunk.newLeft -= 1;
          push(c === undefined ? " " : line);
          if (hunk.oldLeft <= 0 && hunk.newLeft <= 0) hunk = undefined;
          return true;
        }
        hunk = undefined;
      }
      if (file || header) {
        const h = HUNK.exec(line);
        if (h && file) {
          hunk = { oldLeft: Number(h[2] ?? 1), newLeft: Number(h[4] ?? 1) };
          return push(line);
        }
        if (header && !file) {
          const next = NEW_FILE.exec(line);
          if (next && header.old !== undefined) {
            const stamped = /\t\d{4}-\d\d-\d\d /.test(line);
            startFile(header.old, next[1] as string, stamped && header.tool === "diff" ? "black" : header.tool, ctx, header.index);
            header = undefined;
            return true;
          }
          if ((GIT_META.test(line) || OLD_FILE.test(line)) && !/^--- (?:Expected|expected)$/.test(line)) {
            const old = OLD_FILE.exec(line);
            if (old) header.old = old[1];
            if (/^index [0-9a-f]{7,64}\.\.[0-9a-f]{7,64}(?: \d{6})?$/.test(line)) header.index = line;
            return true;
          }
          header = undefined;
          ex.active = file !== undefined;
        }
      }
      const git = GIT_HEADER.exec(line);
      const plain = git ? undefined : PLAIN_HEADER.exec(line);
      if (git || plain || OLD_FILE.test(line)) {
        closeFile(ctx);
        const tool = git ? "git diff" : plain && /\.orig$/.test(plain[1] as string) ? "gofmt" : "diff";
        header = { tool, old: git || plain ? undefined : OLD_FILE.exec(line)?.[1] };
        ex.active = true;
        return true;
      }
      if (file) {
        closeFile(ctx);
        ex.active = false;
      }
      const rs = RUSTFMT.exec(line);
      if (rs) {
        const path = repoRelative(rs[1] as string);
        if (rustFile && rustFile.path !== path) emitRust(ctx);
        const offset = rustOffset?.path === path ? rustOffset.offset : 0;
        rust = { path, start: Number(rs[3] ?? rs[2] ?? 1), lines: [], offset };
        ex.active = true;
        return true;
      }
      if (PRETTIER_DONE.test(line)) {
        const listed = ctx.previous(200);
        for (let i = listed.length - 1; i >= 0; i -= 1) {
          const m = /^\[warn\] (\S.*)$/.exec(listed[i] as string);
          if (!m || PRETTIER_DONE.test(listed[i] as string)) break;
          emitUnpatched(m[1] as string, "prettier", ctx);
        }
        return true;
      }
      const would = WOULD_REFORMAT.exec(line);
      if (would) {
        if (reformat.length < 50) reformat.push(would[1] as string);
        return true;
      }
      return false;
    },
    flush(ctx) {
      closeRust();
      emitRust(ctx);
      closeFile(ctx);
      header = undefined;
      hunk = undefined;
      rustOffset = undefined;
      for (const path of reformat) if (!patched.has(repoRelative(path))) emitUnpatched(path, "black", ctx);
      reformat.length = 0;
      patched.clear();
      ex.active = false;
    },
  };

  let rustFile: FilePatch | undefined;
  let rustOffset: { path: string; offset: number } | undefined;

  function push(line: string): boolean {
    if (!file) return true;
    if (file.hunks.length < MAX_PATCH_LINES) file.hunks.push(line);
    else file.tooBig = true;
    return true;
  }

  function startFile(oldName: string, newName: string, tool: string, ctx: ExtractContext, index?: string): void {
    const clean = (n: string) => (n === "/dev/null" ? n : repoRelative(n.replace(/^[ab]\//, "").replace(/\.orig$/, "")));
    const path = newName === "/dev/null" ? clean(oldName) : clean(newName);
    const step = FORMATTERS.exec(ctx.step())?.[1];
    const named = tool === "diff" && step ? step : tool;
    file = { path, hunks: [], tool: named, tooBig: false, ...(index ? { index } : {}) };
    file.hunks.push(`--- ${oldName === "/dev/null" ? oldName : `a/${unrooted(clean(oldName))}`}`);
    file.hunks.push(`+++ ${newName === "/dev/null" ? newName : `b/${unrooted(path)}`}`);
  }

  function unrooted(path: string): string {
    return path.replace(/^\/+/, "");
  }

  function closeFile(ctx: ExtractContext): void {
    if (!file) return;
    const f = file;
    file = undefined;
    hunk = undefined;
    if (f.hunks.length <= 2) return;
    if (patched.size < 1000) patched.add(f.path);
    const gitDiff = f.tool === "git diff";
    ctx.emit({
      kind: "format",
      tool: f.tool,
      title: gitDiff ? `${f.path} differs from the committed version` : `${f.path} is not formatted`,
      file: f.path,
      line: Number(HUNK.exec(f.hunks[2] ?? "")?.[3] ?? 0) || undefined,
      message: gitDiff ? `The build changed ${f.path}; commit the result.` : `${f.tool} would change ${f.path}.`,
      // Diff lines keep their leading space: a blank context line is content here, not noise.
      excerpt: f.hunks.slice(2, 2 + MAX_EXCERPT_LINES).map((l) => clip(l)),
      patch: f.tooBig ? undefined : (f.index ? `${f.index}\n` : "") + f.hunks.join("\n") + "\n",
    });
  }

  /** rustfmt prints context, `-` and `+` lines after `Diff in <file>:<line>:`; the hunk header is rebuilt from them. */
  function closeRust(): void {
    if (!rust) return;
    const r = rust;
    rust = undefined;
    ex.active = false;
    while (r.lines.length > 0 && r.lines.at(-1) === "") r.lines.pop();
    const body = r.lines.map((l) => (l === "" ? " " : l));
    const oldCount = body.filter((l) => l[0] !== "+").length;
    const newCount = body.filter((l) => l[0] !== "-").length;
    rustOffset = { path: r.path, offset: r.offset + newCount - oldCount };
    rustFile ??= { path: r.path, hunks: [`--- a/${r.path}`, `+++ b/${r.path}`], tool: "rustfmt", tooBig: false };
    rustFile.hunks.push(`@@ -${r.start},${oldCount} +${r.start + r.offset},${newCount} @@`, ...body);
  }

  function emitRust(ctx: ExtractContext): void {
    if (!rustFile) return;
    closeFile(ctx);
    file = rustFile;
    rustFile = undefined;
    closeFile(ctx);
  }

  function emitUnpatched(path: string, tool: string, ctx: ExtractContext): void {
    const rel = repoRelative(path);
    ctx.emit({
      kind: "format",
      tool,
      title: `${rel} is not formatted`,
      file: rel,
      message: `${tool} would reformat ${rel}.`,
      excerpt: [],
    });
  }

  return ex;
}
