import type { ExtractContext, Extractor } from "./types.ts";
import { excerpt, firstAppFrame, indentOf, message } from "./text.ts";

const NOT_OK = /^(\s*)not ok \d+ - (.+?)(?:\s+#\s*(TODO|SKIP)\b.*)?$/i;
const SUBTEST = /^(\s*)# Subtest: (.+)$/;
const TAP_COUNT = /^# (pass|fail|skipped|skip|todo) (\d+)$/;
const SPEC_COUNT = /^ℹ (pass|fail|skipped|todo) (\d+)$/;
const SPEC_FAILING = /^✖ failing tests:$/;
const SPEC_AT = /^test at (.+):(\d+):(\d+)$/;
const SPEC_TEST = /^✖ (.+?)(?: \([\d.]+m?s\))?$/;

/** node:test and any TAP producer: `not ok` with its YAML block; node's spec reporter: the "failing tests" list. */
export function tapExtractor(): Extractor {
  const names: string[] = [];
  let tap: { indent: number; title: string; lines: string[] } | undefined;
  let spec: { lines: string[]; file?: string; line?: number; column?: number; title?: string } | undefined;
  let inSpecList = false;

  const ex: Extractor = {
    trigger: /^\s*(?:not ok \d|# Subtest: )|^# (?:pass|fail|skipped|skip|todo) \d|^ℹ (?:pass|fail|skipped|todo) \d|^✖ failing tests:$/,
    active: false,
    feed(line, ctx) {
      if (tap) {
        if (line.trim() === "" || indentOf(line) > tap.indent) {
          if (tap.lines.length < 80) tap.lines.push(line);
          return true;
        }
        closeTap(ctx);
      }
      if (inSpecList) return feedSpec(line, ctx);
      const count = TAP_COUNT.exec(line) ?? SPEC_COUNT.exec(line);
      if (count) {
        const n = Number(count[2]);
        if (count[1] === "pass") ctx.count({ passed: n });
        else if (count[1] === "fail") ctx.count({ failed: n });
        else ctx.count({ skipped: n });
        return true;
      }
      if (SPEC_FAILING.test(line)) {
        inSpecList = true;
        ex.active = true;
        return true;
      }
      const sub = SUBTEST.exec(line);
      if (sub) {
        const depth = Math.floor((sub[1] as string).length / 4);
        names.length = depth;
        names[depth] = (sub[2] as string).trim();
        return true;
      }
      const notOk = NOT_OK.exec(line);
      if (notOk && !notOk[3]) {
        const indent = (notOk[1] as string).length;
        const parents = names.slice(0, Math.floor(indent / 4));
        tap = { indent, title: [...parents, (notOk[2] as string).trim()].join(" › "), lines: [] };
        ex.active = true;
        return true;
      }
      return false;
    },
    flush(ctx) {
      closeTap(ctx);
      closeSpec(ctx);
      inSpecList = false;
      names.length = 0;
      ex.active = false;
    },
  };

  function feedSpec(line: string, ctx: ExtractContext): boolean {
    const at = SPEC_AT.exec(line);
    if (at) {
      closeSpec(ctx);
      spec = { lines: [], file: at[1], line: Number(at[2]), column: Number(at[3]) };
      return true;
    }
    const test = SPEC_TEST.exec(line);
    if (test && (!spec || spec.title === undefined)) {
      spec ??= { lines: [] };
      spec.title = (test[1] as string).trim();
      return true;
    }
    if (spec && (line.startsWith(" ") || line.trim() === "")) {
      if (spec.lines.length < 80) spec.lines.push(line);
      return true;
    }
    if (!spec && line.trim() === "") return true;
    ex.flush(ctx);
    return false;
  }

  function closeSpec(ctx: ExtractContext): void {
    if (!spec?.title) {
      spec = undefined;
      return;
    }
    const { lines, title } = spec;
    const stop = lines.findIndex((l) => /^\s*at /.test(l) || /^\s*\{$/.test(l) || /\{$/.test(l.trim()));
    const body = stop === -1 ? lines : lines.slice(0, stop);
    const frame = spec.file === undefined ? firstAppFrame(lines) : undefined;
    ctx.emit({
      kind: "test",
      tool: "node:test",
      title,
      file: spec.file ?? frame?.file,
      line: spec.line ?? frame?.line,
      column: spec.column ?? frame?.column,
      message: message(body, 4),
      excerpt: excerpt(lines.slice(0, stop === -1 ? lines.length : stop + 3)),
    });
    spec = undefined;
  }

  function closeTap(ctx: ExtractContext): void {
    if (!tap) return;
    const { title, lines } = tap;
    tap = undefined;
    ex.active = inSpecList;
    const yaml = readYaml(lines);
    if (yaml.get("failureType") === "subtestsFailed") return;
    const location = /^(.+):(\d+):(\d+)$/.exec(yaml.get("location") ?? "");
    const error = yaml.get("error") ?? "";
    const name = yaml.get("name");
    const msg = name && !error.startsWith(name) ? `${name}: ${error}` : error;
    ctx.emit({
      kind: "test",
      tool: "tap",
      title,
      file: location?.[1],
      line: location ? Number(location[2]) : undefined,
      column: location ? Number(location[3]) : undefined,
      message: message(msg.split("\n"), 4),
      excerpt: excerpt(msg.split("\n")),
    });
  }

  return ex;
}

/** The few YAML keys a TAP diagnostic block carries: quoted scalars and `|-` blocks. */
function readYaml(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let key: string | undefined;
  let keyIndent = 0;
  let block: string[] = [];
  const end = () => {
    if (key !== undefined && block.length > 0) out.set(key, block.join("\n").trim());
    key = undefined;
    block = [];
  };
  for (const line of lines) {
    if (key !== undefined && (line.trim() === "" || indentOf(line) > keyIndent)) {
      block.push(line.trim());
      continue;
    }
    end();
    const m = /^(\s*)([A-Za-z_]+): ?(.*)$/.exec(line);
    if (!m) continue;
    const value = (m[3] as string).trim();
    if (value === "|-" || value === "|" || value === ">-") {
      key = m[2] as string;
      keyIndent = (m[1] as string).length;
    } else {
      out.set(m[2] as string, unquote(value));
    }
  }
  end();
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.endsWith(value[0])) {
    return value.slice(1, -1).replace(/''/g, "'").replace(/\\"/g, '"');
  }
  return value;
}
