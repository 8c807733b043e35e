import type { Draft, ExtractContext, Extractor } from "./types.ts";
import { excerpt } from "./text.ts";

interface Format {
  pattern: RegExp;
  /** Capture indexes: file, line, column (0 = none), code (0 = none), message. */
  groups: [number, number, number, number, number];
  /** tsc --pretty puts a blank line between the headline and its code frame. */
  frameAfterBlank?: boolean;
  maven?: boolean;
}

const FORMATS: readonly Format[] = [
  // gcc, clang, swiftc, go vet: file:line:col: error: message
  { pattern: /^((?:[A-Za-z]:)?[^:\s][^:]*?):(\d+):(\d+): (?:fatal error|error): (.+)$/, groups: [1, 2, 3, 0, 4] },
  // javac, mypy: file:line: error: message
  // (not XCTest's `file:line: error: -[Suite test] : …`, a test failure the xcodebuild reader reads)
  { pattern: /^((?:[A-Za-z]:)?[^:\s][^:]*?):(\d+): error: (?!-\[)(.+?)(?:\s+\[([\w-]+)\])?$/, groups: [1, 2, 0, 4, 3] },
  // tsc, msbuild (csc, MSVC's cl), mcs: file(line,col): error CODE: message [project]
  { pattern: /^\s*(\S.*?)\((\d+),(\d+)\): error ([A-Z]+\d+): (.+?)(?: \[[^\]]+\])?$/, groups: [1, 2, 3, 4, 5] },
  // tsc --pretty: file:line:col - error TS1234: message
  { pattern: /^(\S.*?):(\d+):(\d+) - error (TS\d+): (.+)$/, groups: [1, 2, 3, 4, 5], frameAfterBlank: true },
  // maven-compiler-plugin: [ERROR] /path/File.java:[line,col] message
  { pattern: /^\[ERROR\] (\S.*?):\[(\d+),(\d+)\] (.+)$/, groups: [1, 2, 3, 0, 4], maven: true },
];

const LINKER = /undefined reference to |^(?:[\w.-]*[-/])?l?ld(?:\.\w+)?: (?:error: |.*: undefined )|^collect2: error: ld returned|^Undefined symbols for architecture/;
const CONTEXT = /: In (?:member )?function |: In instantiation of |: In constructor |: In destructor |: At global scope:/;

const TOOLS: ReadonlyArray<[RegExp, string]> = [
  [/\.(?:[cm]?tsx?)$/, "tsc"],
  [/\.(?:c|cc|cpp|cxx|c\+\+|h|hh|hpp|hxx|m|mm|ino|cu)$/, "gcc/clang"],
  [/\.java$/, "javac"],
  [/\.cs$/, "csc"],
  [/\.vb$/, "vbc"],
  [/\.fs$/, "fsc"],
  [/\.go$/, "go"],
  [/\.pyi?$/, "mypy"],
  [/\.swift$/, "swiftc"],
  [/\.kts?$/, "kotlinc"],
  [/\.scala$/, "scalac"],
];

function toolFor(file: string): string {
  for (const [ext, tool] of TOOLS) if (ext.test(file)) return tool;
  return "compiler";
}

/**
 * Compiler diagnostics in the common one-line shapes (gcc/clang, javac, tsc, msbuild/csc, maven) with the code frame
 * printed under them, plus linker errors. Maven and msbuild repeat every error in their closing summary; those
 * repeats are skipped.
 */
export function compilerExtractor(): Extractor {
  let open: { draft: Draft; lines: string[]; frameAfterBlank: boolean; blanks: number } | undefined;
  let repeating = false;

  const ex: Extractor = {
    trigger:
      /: error: |: fatal error: |\): error [A-Z]|- error TS|^\[ERROR\] \S.*:\[\d+,\d+\] |undefined reference to |^collect2: error|^Undefined symbols for architecture|^\[ERROR\] Failed to execute goal|^Build FAILED\.$/,
    active: false,
    feed(line, ctx) {
      if (open) {
        if (continues(line)) {
          if (open.lines.length < 20) open.lines.push(line);
          return true;
        }
        close(ctx);
      }
      if (line.startsWith("[ERROR] Failed to execute goal") || line === "Build FAILED.") {
        repeating = true;
        return false;
      }
      for (const format of FORMATS) {
        const m = format.pattern.exec(line);
        if (!m) continue;
        if (repeating && (format.maven || format.groups[3] === 4)) return true;
        const [f, l, c, code, msg] = format.groups;
        const file = m[f] as string;
        const text = (m[msg] as string).trim();
        const codeText = code ? m[code] : undefined;
        const previous = ctx.previous(1)[0];
        open = {
          draft: {
            kind: "compile",
            tool: codeText && /^C\d{4}$/.test(codeText) ? "msvc" : toolFor(file),
            title: codeText ? `${codeText}: ${text}` : text,
            file,
            line: Number(m[l]),
            column: c ? Number(m[c]) : undefined,
            message: text,
            excerpt: [],
          },
          lines: previous && CONTEXT.test(previous) ? [previous, line] : [line],
          frameAfterBlank: format.frameAfterBlank === true,
          blanks: 0,
        };
        ex.active = true;
        return true;
      }
      if (LINKER.test(line)) {
        if (/^collect2: error: ld returned/.test(line) && ctx.previous(1).some((p) => LINKER.test(p))) return true;
        const symbol = /undefined reference to [`'‘]?(.+?)[`'’]?$/.exec(line)?.[1];
        ctx.emit({
          kind: "compile",
          tool: "ld",
          title: symbol ? `undefined reference to ${symbol}` : line.trim(),
          message: line.trim(),
          excerpt: [...ctx.previous(1).filter((p) => /: in function /.test(p)), line],
        });
        return true;
      }
      return false;
    },
    flush(ctx) {
      close(ctx);
      repeating = false;
    },
  };

  /** Lines under a diagnostic: indented code frames and notes (javac's `symbol:`, gcc's `  5 |`). */
  function continues(line: string): boolean {
    if (!open) return false;
    if (line.trim() === "") {
      open.blanks += 1;
      return open.frameAfterBlank && open.blanks === 1 && open.lines.length === 1;
    }
    if (open.frameAfterBlank && open.blanks === 1) return true;
    return /^\s/.test(line) && !/^\s*(?:\d+ errors?|\d+ warnings?)\b/.test(line);
  }

  function close(ctx: ExtractContext): void {
    if (!open) return;
    const { draft, lines } = open;
    open = undefined;
    ex.active = false;
    draft.excerpt = excerpt(lines);
    const notes = lines.filter((l) => /^\s+(?:symbol|location):/.test(l)).map((l) => l.trim());
    if (notes.length > 0) draft.message = [draft.message, ...notes].join("\n");
    ctx.emit(draft);
  }

  return ex;
}
