/**
 * Turns one raw provider log line into the text a terminal would have shown: no escape sequences, no carriage-return
 * redraws, no provider timestamps. Group and step markers are kept in one canonical form (`##[group]`, `##[endgroup]`)
 * so the analyser reads GitHub Actions, Buildkite and GitLab framing the same way (see `readFrame`).
 */

// Anything that needs the slow path: C0 controls other than tab, DEL, the 8-bit CSI, a BOM.
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[\u0000-\u0008\u000a-\u001f\u007f\u009b\ufeff]/;

/*
 * Escape sequences, each matched without backtracking across an ESC: CSI (colours, cursor moves, erase), OSC (titles,
 * OSC 8 links: the link text between two OSC 8 sequences is kept), APC (Buildkite `ESC _bk;t=…BEL`; a stray `ESC _`
 * left by `--no-timestamps` loses only its `bk;t=` part), DCS/PM/SOS strings, charset selects (`ESC ( B`) and the
 * other two-byte escapes.
 */
const ESCAPE =
  // eslint-disable-next-line no-control-regex
  /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]P^X][^\u0007\u001b]*(?:\u0007|\u001b\\)?|_(?:[^\u0007\u001b]*(?:\u0007|\u001b\\)|(?:bk;t=\d+)?)|[ -/]+[0-~]?|[0-~])?|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const GHA_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
// GitLab: `section_start:<unix>:<name>[options]\r\e[0K<header>` and `section_end:<unix>:<name>\r\e[0K`.
const GITLAB_SECTION = /^section_(start|end):\d+:[^\r\u001b]*\r(?:\u001b\[0K)?/;

export function normaliseLine(raw: string): string {
  let line = raw;
  if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  const c4 = line.charCodeAt(4);
  if (c4 === 45 /* - */ && line.charCodeAt(10) === 84 /* T */) {
    const ts = GHA_TIMESTAMP.exec(line);
    if (ts) line = line.slice(ts[0].length);
  }
  if (!NEEDS_WORK.test(line)) return line;
  return slowPath(line);
}

function slowPath(input: string): string {
  let line = input.replace(/\ufeff/g, "");
  let group: string | undefined;
  if (line.startsWith("section_")) {
    const m = GITLAB_SECTION.exec(line);
    if (m) {
      if (m[1] === "end") return "##[endgroup]";
      line = line.slice(m[0].length);
      group = "";
    }
  }
  if (line.includes("\u001b") || line.includes("\u009b")) line = line.replace(ESCAPE, "");
  if (line.includes("\r")) line = collapseCarriageReturns(line);
  line = line.replace(CONTROL, "");
  if (line.includes("\n")) line = line.replace(/\n/g, " ");
  if (group !== undefined) return "##[group]" + line.trim();
  return line;
}

/** A terminal redraws from column 0 on `\r`: what stays visible is (roughly) the last non-empty segment. */
function collapseCarriageReturns(line: string): string {
  const parts = line.split("\r");
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    const part = parts[i] as string;
    if (part.trim() !== "") return part;
  }
  return "";
}

export type Frame =
  | { type: "group"; title: string }
  | { type: "endgroup" }
  | { type: "error"; message: string }
  | { type: "warning"; message: string }
  | { type: "command"; command: string };

const GHA_MARKER = /^##\[(group|endgroup|error|warning|command|debug|notice|section)\]/;
// Diff headers (`--- a/x`, `+++ b/x`, `--- Expected`, `--- file.py<TAB>date`) and go's `--- FAIL:` are not groups.
const BUILDKITE_HEADER = /^(?:---|\+\+\+|~~~) (?!(?:FAIL|PASS|SKIP):|[ab]\/|\/|(?:Expected|expected|Actual|actual)$|\S+\.\w+(?:\t|$))/;

/**
 * Reads provider framing in a normalised line. `buildkite` says the log carried Buildkite timestamps, so `--- `,
 * `+++ ` and `~~~ ` lines are group headers there (and unified-diff headers elsewhere).
 */
export function readFrame(line: string, buildkite: boolean): Frame | undefined {
  const first = line.charCodeAt(0);
  if (first === 35 /* # */) {
    const m = GHA_MARKER.exec(line);
    if (!m) return undefined;
    const rest = line.slice(m[0].length);
    switch (m[1]) {
      case "group":
        return { type: "group", title: rest };
      case "endgroup":
        return { type: "endgroup" };
      case "error":
        return { type: "error", message: rest };
      case "warning":
        return { type: "warning", message: rest };
      case "command":
        return { type: "command", command: rest };
      default:
        return undefined;
    }
  }
  if (first === 36 /* $ */ && line.charCodeAt(1) === 32) return { type: "command", command: line.slice(2) };
  if (buildkite && (first === 45 || first === 43 || first === 126) && BUILDKITE_HEADER.test(line)) {
    return { type: "group", title: line.slice(4) };
  }
  return undefined;
}

/** True when a raw line carries a Buildkite APC timestamp. */
export function hasBuildkiteTimestamp(raw: string): boolean {
  return raw.includes("\u001b_bk;t=");
}
