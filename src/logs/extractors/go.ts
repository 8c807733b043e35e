import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, indentOf, message } from "./text.ts";

const FAIL = /^(\s*)--- FAIL: (\S+) \([\d.]+s\)$/;
const MESSAGE = /^\s+(\S+\.go):(\d+): (.*)$/;
const PANIC = /^panic: (.+?)(?: \[recovered\])?$/;
const PACKAGE = /^# (\S+)$/;
const BUILD_ERROR = /^(\S+\.go):(\d+):(\d+): (.+)$/;
const APP_FRAME = /^\s+(\/\S+\.go|\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/;
const RESULT = /^(?:FAIL|ok)\s+\S+|^exit status \d+$|^FAIL$/;

interface TestBlock {
  name: string;
  indent: number;
  lines: string[];
  children: number;
}

/** go test: `--- FAIL:` blocks (output after the line, or before it under `=== RUN` with -v), panics, build errors. */
export function goExtractor(): Extractor {
  const open: TestBlock[] = [];
  let lastEmpty: string | undefined;
  let panic: string[] | undefined;
  let build = false;
  let failed = 0;

  const ex: Extractor = {
    trigger: /^\s*--- FAIL: |^panic: |^# \S+$/,
    active: false,
    feed(line, ctx) {
      if (panic) {
        if (RESULT.test(line) || (line === "" && panic.length > 3 && panic.at(-1) === "")) {
          closePanic(ctx);
          return RESULT.test(line);
        }
        if (panic.length < 60) panic.push(line);
        return true;
      }
      if (build) {
        const m = BUILD_ERROR.exec(line);
        if (m) {
          ctx.emit({
            kind: "compile",
            tool: "go",
            title: m[4] as string,
            file: m[1],
            line: Number(m[2]),
            column: Number(m[3]),
            message: m[4] as string,
            excerpt: [line],
          });
          return true;
        }
        if (/^\s/.test(line) || /^note: /.test(line)) return true;
        build = false;
      }
      const fail = FAIL.exec(line);
      if (fail) {
        const indent = (fail[1] as string).length;
        closeTests(indent, ctx);
        const parent = open.at(-1);
        if (parent) parent.children += 1;
        const name = fail[2] as string;
        open.push({ name, indent, lines: lookBack(name, ctx), children: 0 });
        failed += 1;
        ex.active = true;
        return true;
      }
      const p = PANIC.exec(line);
      if (p) {
        closeTests(-1, ctx);
        panic = [line];
        ex.active = true;
        return true;
      }
      if (PACKAGE.test(line)) {
        closeTests(-1, ctx);
        build = true;
        ex.active = true;
        return true;
      }
      const top = open.at(-1);
      if (top && indentOf(line) > top.indent && line.trim() !== "") {
        if (!/^\s*--- (?:PASS|SKIP): /.test(line) && top.lines.length < 60) top.lines.push(line);
        return true;
      }
      closeTests(-1, ctx);
      ex.active = build || panic !== undefined;
      return false;
    },
    flush(ctx) {
      closeTests(-1, ctx);
      closePanic(ctx);
      build = false;
      ex.active = false;
      if (failed > 0) ctx.count({ failed });
      failed = 0;
    },
  };

  /** With -v the test's output comes before its `--- FAIL` line, after `=== RUN   <name>`. */
  function lookBack(name: string, ctx: ExtractContext): string[] {
    const before = ctx.previous(200);
    const start = before.findLastIndex((l) => l === `=== RUN   ${name}` || l === `=== CONT  ${name}`);
    if (start === -1) return [];
    const out: string[] = [];
    for (const l of before.slice(start + 1)) {
      if (/^\s*(?:=== |--- )/.test(l)) break;
      out.push(l);
    }
    return out;
  }

  function closeTests(indent: number, ctx: ExtractContext): void {
    while (open.length > 0 && (open.at(-1) as TestBlock).indent >= indent) {
      const t = open.pop() as TestBlock;
      if (t.lines.length === 0) {
        if (t.children === 0) lastEmpty = t.name;
        else failed -= 1;
        continue;
      }
      const first = t.lines.map((l) => MESSAGE.exec(l)).find((m) => m);
      ctx.emit({
        kind: "test",
        tool: "go",
        title: t.name,
        file: first?.[1],
        line: first ? Number(first[2]) : undefined,
        message: message(
          t.lines.map((l) => MESSAGE.exec(l)?.[3] ?? l),
          4,
        ),
        excerpt: excerpt(t.lines),
      });
    }
  }

  function closePanic(ctx: ExtractContext): void {
    if (!panic) return;
    const lines = panic;
    panic = undefined;
    ex.active = false;
    const head = PANIC.exec(lines[0] as string)?.[1] ?? "panic";
    const timeout = /^test timed out after /.test(head);
    // The first frame outside the Go runtime and the testing package.
    let file: string | undefined;
    let lineNo: number | undefined;
    for (let i = 0; i < lines.length; i += 1) {
      const m = APP_FRAME.exec(lines[i] as string);
      if (!m || /\/(?:go|go-[\d.]+|golang)\/src\/|\/usr\/local\/go\//.test(m[1] as string)) continue;
      file = m[1];
      lineNo = Number(m[2]);
      break;
    }
    ctx.emit({
      kind: timeout ? "timeout" : "crash",
      tool: "go",
      title: timeout ? `go test ${head}` : (lastEmpty ?? `panic: ${head}`),
      file,
      line: lineNo,
      message: `panic: ${head}`,
      excerpt: excerpt(lines.filter((l) => !/^\s+\/\S+\/(?:go|go-[\d.]+)\/src\//.test(l) && !/^testing\.|^created by testing|^panic\(/.test(l))),
    });
    lastEmpty = undefined;
  }

  return ex;
}
