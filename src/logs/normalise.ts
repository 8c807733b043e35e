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
 * other two-byte escapes. prefilter/automaton.ts reads the same grammar byte by byte to find words split by escapes:
 * a change here is a change there (test/logs/analyze-streamed.test.ts compares the two).
 */
const ESCAPE =
  // eslint-disable-next-line no-control-regex
  /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]P^X][^\u0007\u001b]*(?:\u0007|\u001b\\)?|_(?:[^\u0007\u001b]*(?:\u0007|\u001b\\)|(?:bk;t=\d+)?)|[ -/]+[0-~]?|[0-~])?|\u009b[0-?]*[ -/]*[@-~]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff]/g;
// GitLab: `section_start:<unix>:<name>[options]\r\e[0K<header>` and `section_end:<unix>:<name>\r\e[0K`.
// eslint-disable-next-line no-control-regex
const GITLAB_SECTION = /^section_(start|end):\d+:[^\r\u001b]*\r(?:\u001b\[0K)?/;

export function normaliseLine(raw: string): string {
  const line = stripPrefix(raw);
  return NEEDS_WORK.test(line) ? slowPath(line) : line;
}

function stripPrefix(raw: string): string {
  let line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  let stamp = timestampLength(line);
  if (stamp === 0) {
    // `gh run view --log` puts the job and the step before the timestamp: `build<TAB>Run tests<TAB>2024-…Z `.
    const tab = line.indexOf("\t");
    const second = tab === -1 || tab > 256 ? -1 : line.indexOf("\t", tab + 1);
    if (second !== -1 && second - tab <= 256) {
      const after = line.slice(second + 1);
      const own = timestampLength(after);
      if (own > 0) {
        line = after;
        stamp = own;
      }
    }
  }
  return stamp > 0 ? line.slice(stamp) : line;
}

const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** Length of a GitHub Actions `2024-05-14T09:21:07.1234567Z ` prefix, or 0; checked by hand: it is on every line. */
function timestampLength(line: string): number {
  if (line.charCodeAt(4) !== 45 || line.charCodeAt(7) !== 45 || line.charCodeAt(10) !== 84) return 0;
  if (line.charCodeAt(13) !== 58 || line.charCodeAt(16) !== 58) return 0;
  for (let k = 0; k < DIGITS_AT.length; k += 1) {
    const c = line.charCodeAt(DIGITS_AT[k] as number);
    if (c < 48 || c > 57) return 0;
  }
  let i = 19;
  if (line.charCodeAt(i) === 46) {
    i += 1;
    while (i < 40 && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i += 1;
  }
  if (line.charCodeAt(i) !== 90) return 0;
  return line.charCodeAt(i + 1) === 32 ? i + 2 : i + 1;
}

function slowPath(input: string): string {
  let line = input;
  let group: string | undefined;
  if (line.startsWith("section_")) {
    const m = GITLAB_SECTION.exec(line);
    if (m) {
      if (m[1] === "end") return "##[endgroup]";
      line = line.slice(m[0].length);
      group = "";
    }
  }
  // Escapes and stray controls go in one pass; `\r` and `\n` stay for the redraw rule below.
  line = line.replace(ESCAPE, "");
  if (line.includes("\r")) line = collapseCarriageReturns(line);
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
const COMMAND_ECHO = /^\$ /;
// Diff headers (`--- a/x`, `+++ b/x`, `--- Expected`, `--- file.py<TAB>date`) and go's `--- FAIL:` are not groups.
const BUILDKITE_HEADER = /^(?:---|\+\+\+|~~~) (?!(?:FAIL|PASS|SKIP):|[ab]\/|\/|(?:Expected|expected|Actual|actual)$|\S+\.\w+(?:\t|$))/;

/** Lines that carry framing (the pre-filter must let them through, whatever the extractors want). */
export const FRAME_PATTERNS: readonly RegExp[] = [GITLAB_SECTION, GHA_MARKER, COMMAND_ECHO, BUILDKITE_HEADER];

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
  if (first === 36 /* $ */ && COMMAND_ECHO.test(line)) return { type: "command", command: line.slice(2) };
  if (buildkite && (first === 45 || first === 43 || first === 126) && BUILDKITE_HEADER.test(line)) {
    return { type: "group", title: line.slice(4) };
  }
  return undefined;
}
