/**
 * The automaton the byte scanner runs: Aho-Corasick over the UTF-8 bytes of the trigger literals, crossed with a
 * reader of the terminal escape sequences the normaliser removes, so that a literal split by colour codes
 * (Maven's `[\e[1;31mERROR\e[m]`, gcc's `\e[01;31m\e[Kerror: `) is still found. The escape grammar mirrors
 * `ESCAPE` in ../normalise.ts byte for byte; where the normaliser would keep part of a sequence (an unterminated
 * APC string, an 8-bit CSI without its final byte) the line is reported as a hit and read in full instead.
 *
 * The guarantee the analyser relies on: every line whose normalised text contains a literal produces a hit.
 * Extra hits only cost a line read.
 */

/** Row offsets are byte offsets into a table of u32 entries; these two values are events, not states. */
const NEWLINE = 0x40000000;
const HIT = 0x80000000;

export interface ScanTables {
  /** One u32 per state and byte class: the next state's row offset, NEWLINE or HIT. */
  table: Uint32Array;
  /** Byte → column: bytes that behave alike in every state share one. */
  classes: Uint8Array;
  /** Byte → 1 when state 0 stays in state 0 on it, 2 for a newline, 0 otherwise. */
  idle: Uint8Array;
}

/** What the normaliser does with a byte depends on where it is in an escape sequence. */
const Phase = {
  NORMAL: 0,
  ESC: 1,
  CSI_PARAMS: 2,
  CSI_INTERMEDIATES: 3,
  STRING: 4,
  STRING_ESC: 5,
  APC: 6,
  APC_ESC: 7,
  NF: 8,
  /** 0xC2: maybe the first byte of U+009B, the 8-bit CSI. */
  C2: 9,
  CSI8_PARAMS: 10,
  CSI8_INTERMEDIATES: 11,
  /** 0xEF, 0xEF 0xBB: maybe a byte-order mark (U+FEFF), which the normaliser removes anywhere. */
  EF: 12,
  EF_BB: 13,
} as const;
const PHASES = 14;

type Step = { state: number; phase: number } | typeof NEWLINE_STEP | typeof HIT_STEP;
const NEWLINE_STEP = "newline";
const HIT_STEP = "hit";

const inRange = (b: number, lo: number, hi: number): boolean => b >= lo && b <= hi;
/** C0 controls (but tab, line feed, carriage return and ESC) and DEL: removed by the normaliser wherever they are. */
const isDroppedControl = (b: number): boolean =>
  (b <= 0x08 || b === 0x0b || b === 0x0c || inRange(b, 0x0e, 0x1f) || b === 0x7f) && b !== 0x1b;

export function buildScanTables(literals: readonly string[]): ScanTables {
  if (literals.length === 0) throw new Error("the pre-filter needs at least one literal");
  const ac = ahoCorasick(literals.map((l) => Buffer.from(l, "utf8")));
  const states = ac.accepting.length;

  /** One byte of text the normaliser keeps, fed to the literal matcher. */
  const keep = (state: number, b: number): Step => {
    const next = ac.delta[state * 256 + b] as number;
    return ac.accepting[next] ? HIT_STEP : { state: next, phase: Phase.NORMAL };
  };
  /** Bytes held back (0xC2, 0xEF 0xBB) turned out to be text: feed them, then read `b` as normal text. */
  const release = (state: number, held: readonly number[], b: number): Step => {
    let s = state;
    for (const h of held) {
      const step = keep(s, h);
      if (step === HIT_STEP) return step;
      s = (step as { state: number }).state;
    }
    return normal(s, b);
  };
  const normal = (state: number, b: number): Step => {
    if (b === 0x0a) return NEWLINE_STEP;
    if (b === 0x1b) return { state, phase: Phase.ESC };
    if (isDroppedControl(b)) return { state, phase: Phase.NORMAL };
    if (b === 0xc2) return { state, phase: Phase.C2 };
    if (b === 0xef) return { state, phase: Phase.EF };
    return keep(state, b);
  };
  const afterEsc = (state: number, b: number): Step => {
    if (b === 0x5b /* [ */) return { state, phase: Phase.CSI_PARAMS };
    if (b === 0x5d || b === 0x50 || b === 0x5e || b === 0x58 /* ] P ^ X */) return { state, phase: Phase.STRING };
    if (b === 0x5f /* _ */) return { state, phase: Phase.APC };
    if (inRange(b, 0x20, 0x2f)) return { state, phase: Phase.NF };
    if (inRange(b, 0x30, 0x7e)) return { state, phase: Phase.NORMAL };
    // A lone ESC: removed, and the byte after it is text again.
    return normal(state, b);
  };
  const step = (state: number, phase: number, b: number): Step => {
    switch (phase) {
      case Phase.NORMAL:
        return normal(state, b);
      case Phase.ESC:
        return afterEsc(state, b);
      case Phase.CSI_PARAMS:
        if (inRange(b, 0x30, 0x3f)) return { state, phase };
        if (inRange(b, 0x20, 0x2f)) return { state, phase: Phase.CSI_INTERMEDIATES };
        if (inRange(b, 0x40, 0x7e)) return { state, phase: Phase.NORMAL };
        return normal(state, b); // the final byte is optional in ESCAPE
      case Phase.CSI_INTERMEDIATES:
        if (inRange(b, 0x20, 0x2f)) return { state, phase };
        if (inRange(b, 0x40, 0x7e)) return { state, phase: Phase.NORMAL };
        return normal(state, b);
      case Phase.STRING:
        if (b === 0x07) return { state, phase: Phase.NORMAL };
        if (b === 0x1b) return { state, phase: Phase.STRING_ESC };
        if (b === 0x0a) return NEWLINE_STEP;
        return { state, phase };
      case Phase.STRING_ESC:
        // ESC \ ends the string; any other ESC ends it too and starts a sequence of its own.
        return b === 0x5c ? { state, phase: Phase.NORMAL } : afterEsc(state, b);
      case Phase.APC:
        if (b === 0x07) return { state, phase: Phase.NORMAL };
        if (b === 0x1b) return { state, phase: Phase.APC_ESC };
        // Unterminated: the normaliser removes only `ESC _` (and a `bk;t=…` stamp) and keeps the rest.
        if (b === 0x0a) return HIT_STEP;
        return { state, phase };
      case Phase.APC_ESC:
        return b === 0x5c ? { state, phase: Phase.NORMAL } : HIT_STEP;
      case Phase.NF:
        if (inRange(b, 0x20, 0x2f)) return { state, phase };
        if (inRange(b, 0x30, 0x7e)) return { state, phase: Phase.NORMAL };
        return normal(state, b);
      case Phase.C2:
        return b === 0x9b ? { state, phase: Phase.CSI8_PARAMS } : release(state, [0xc2], b);
      case Phase.CSI8_PARAMS:
        if (inRange(b, 0x30, 0x3f)) return { state, phase };
        if (inRange(b, 0x20, 0x2f)) return { state, phase: Phase.CSI8_INTERMEDIATES };
        if (inRange(b, 0x40, 0x7e)) return { state, phase: Phase.NORMAL };
        return HIT_STEP; // without its final byte the normaliser keeps it all
      case Phase.CSI8_INTERMEDIATES:
        if (inRange(b, 0x20, 0x2f)) return { state, phase };
        if (inRange(b, 0x40, 0x7e)) return { state, phase: Phase.NORMAL };
        return HIT_STEP;
      case Phase.EF:
        return b === 0xbb ? { state, phase: Phase.EF_BB } : release(state, [0xef], b);
      case Phase.EF_BB:
        return b === 0xbf ? { state, phase: Phase.NORMAL } : release(state, [0xef, 0xbb], b);
      default:
        throw new Error(`unknown phase ${phase}`);
    }
  };

  // Bytes the escape grammar tells apart and the literals' own bytes each get a column; every other byte behaves
  // like the rest of its kind in every state, so the table has a few dozen columns instead of 256.
  const inLiteral = new Set(ac.alphabet);
  const classes = new Uint8Array(256);
  const columns = new Map<string, number>();
  const representative: number[] = [];
  for (let b = 0; b < 256; b += 1) {
    const key = `${grammarKind(b)}/${inLiteral.has(b) ? b : "-"}`;
    let k = columns.get(key);
    if (k === undefined) {
      k = representative.length;
      columns.set(key, k);
      representative.push(b);
    }
    classes[b] = k;
  }
  const width = representative.length;
  // Row r = phase * states + state; state 0 in the normal phase is row 0, the start of every line.
  const rows = states * PHASES;
  const table = new Uint32Array(rows * width);
  for (let phase = 0; phase < PHASES; phase += 1) {
    for (let state = 0; state < states; state += 1) {
      const row = phase * states + state;
      for (let k = 0; k < width; k += 1) {
        const next = step(state, phase, representative[k] as number);
        table[row * width + k] =
          next === NEWLINE_STEP ? NEWLINE : next === HIT_STEP ? HIT : (next.phase * states + next.state) * width * 4;
      }
    }
  }
  if (table.length * 4 >= NEWLINE) throw new Error("the pre-filter's table is too large");
  const idle = new Uint8Array(256);
  for (let b = 0; b < 256; b += 1) {
    const v = table[classes[b] as number] as number;
    idle[b] = v === 0 ? 1 : v === NEWLINE ? 2 : 0;
  }
  return { table, classes, idle };
}

/** The bytes `step` tells apart by value or range; a byte of none of these kinds is "other". */
const OWN_KIND = new Set([0x07, 0x0a, 0x1b, 0x50, 0x58, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x9b, 0xbb, 0xbf, 0xc2, 0xef]);
function grammarKind(b: number): string {
  if (OWN_KIND.has(b)) return `byte ${b}`;
  if (isDroppedControl(b)) return "control";
  if (inRange(b, 0x20, 0x2f)) return "intermediate";
  if (inRange(b, 0x30, 0x3f)) return "parameter";
  if (inRange(b, 0x40, 0x7e)) return "final";
  return "other";
}

/**
 * Byte-level Aho-Corasick: a full transition function (`delta[state * 256 + byte]`), accepting states, and the
 * bytes the patterns use (any other byte leads every state back to the start).
 */
function ahoCorasick(patterns: readonly Uint8Array[]): { delta: Int32Array; accepting: boolean[]; alphabet: number[] } {
  const edges: Array<Map<number, number>> = [new Map()];
  const accepting: boolean[] = [false];
  for (const pattern of patterns) {
    let s = 0;
    for (const b of pattern) {
      let next = (edges[s] as Map<number, number>).get(b);
      if (next === undefined) {
        next = edges.length;
        edges.push(new Map());
        accepting.push(false);
        (edges[s] as Map<number, number>).set(b, next);
      }
      s = next;
    }
    accepting[s] = true;
  }
  const n = edges.length;
  const delta = new Int32Array(n * 256);
  const fail = new Int32Array(n);
  // Breadth first, so a state's failure link is complete before its children need it.
  const queue: number[] = [];
  for (let b = 0; b < 256; b += 1) {
    const next = (edges[0] as Map<number, number>).get(b) ?? 0;
    delta[b] = next;
    if (next !== 0) queue.push(next);
  }
  for (let head = 0; head < queue.length; head += 1) {
    const s = queue[head] as number;
    if (accepting[fail[s] as number]) accepting[s] = true;
    for (let b = 0; b < 256; b += 1) {
      const next = (edges[s] as Map<number, number>).get(b);
      if (next === undefined) {
        delta[s * 256 + b] = delta[(fail[s] as number) * 256 + b] as number;
      } else {
        fail[next] = delta[(fail[s] as number) * 256 + b] as number;
        delta[s * 256 + b] = next;
        queue.push(next);
      }
    }
  }
  return { delta, accepting, alphabet: [...new Set(patterns.flatMap((p) => [...p]))] };
}
