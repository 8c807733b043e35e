import { cutLine, lineAt, MAX_LINE_BYTES } from "./line-cut.ts";
import { normaliseLine, readFrame } from "./normalise.ts";
import type { LogChunk } from "./types.ts";

/**
 * The lines a passing run of the same job printed, as fingerprints: what both runs print is not the cause of the
 * failure (CiDiff's observation). Only 32-bit fingerprints of volatile-masked lines are kept, never the log.
 */
export interface Baseline {
  /** Whether the passing run printed this line (a line as the analyser normalised it), volatile parts aside. */
  has(normalisedLine: string): boolean;
  /** Distinct lines remembered. */
  readonly size: number;
}

/** Slots of the fingerprint table at most (16 MiB): about 2.9 million distinct lines; later ones are not kept. */
const MAX_SLOTS = 1 << 22;
const MAX_LOAD = 0.7;

/*
 * Parts of a line that differ between two runs of the same job while meaning the same: dates and clock times,
 * durations and sizes, hashes and ids, temporary paths, ports, long numbers. Small numbers stay: "1 failed"
 * against "0 failed" is exactly the difference that matters.
 */
const VOLATILE: readonly [RegExp, string][] = [
  [/\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)?/g, "<date>"],
  [/\b\d{1,2}:\d\d(?::\d\d)?(?:[.,]\d+)?\b/g, "<time>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, "<hash>"],
  [/(?:\/tmp|\/var\/folders|\/private\/var|[A-Za-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp|\/home\/runner\/work\/_temp)[^\s:'"]*/g, "<tmp>"],
  [/(?:\blocalhost|\b\d{1,3}(?:\.\d{1,3}){3}|\[::1?\]):\d{2,5}\b/g, "<host:port>"],
  [/\b\d+(?:[.,]\d+)?\s?(?:ns|µs|us|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|B|kB|KB|KiB|MB|MiB|GB|GiB|%)(?![A-Za-z])/g, "<n>"],
  [/\b\d+[.,]\d+\b/g, "<n>"],
  [/\b\d{4,}\b/g, "<n>"],
  [/\s+/g, " "],
];

/** A line as the baseline compares it: volatile parts masked, whitespace collapsed. */
export function maskVolatile(line: string): string {
  let out = line;
  for (const [pattern, mask] of VOLATILE) out = out.replace(pattern, mask);
  return out.trim();
}

/** FNV-1a over UTF-16 units; 0 marks an empty slot, so it is never a fingerprint. */
function fingerprint(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}

/** An open-addressed set of 32-bit fingerprints that grows to MAX_SLOTS and then stops taking new ones. */
class FingerprintSet {
  private slots = new Uint32Array(1 << 12);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(fp: number): void {
    if ((this.count + 1) / this.slots.length > MAX_LOAD) {
      if (this.slots.length >= MAX_SLOTS) return;
      this.grow();
    }
    const mask = this.slots.length - 1;
    for (let i = fp & mask; ; i = (i + 1) & mask) {
      const at = this.slots[i] as number;
      if (at === fp) return;
      if (at === 0) {
        this.slots[i] = fp;
        this.count += 1;
        return;
      }
    }
  }

  has(fp: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = fp & mask; ; i = (i + 1) & mask) {
      const at = this.slots[i] as number;
      if (at === fp) return true;
      if (at === 0) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.count = 0;
    for (const fp of old) if (fp !== 0) this.add(fp);
  }
}

/** The text of a raw line as the analyser would read it (framing markers reduced to their message). */
function lineText(raw: string): string {
  const text = normaliseLine(raw);
  const frame = text.startsWith("##[") ? readFrame(text, false) : undefined;
  if (!frame) return text;
  if (frame.type === "group") return frame.title;
  if (frame.type === "error" || frame.type === "warning") return frame.message;
  if (frame.type === "command") return frame.command;
  return "";
}

/**
 * Reads a passing run's log (raw chunks or lines) into a Baseline. Streaming: memory is the fingerprint table
 * (at most 16 MiB) and one partial line.
 */
export async function readBaseline(source: AsyncIterable<LogChunk> | Iterable<string>): Promise<Baseline> {
  const set = new FingerprintSet();
  const add = (raw: string): void => {
    const masked = maskVolatile(lineText(raw));
    if (masked !== "") set.add(fingerprint(masked));
  };
  if (Symbol.iterator in source) {
    for (const line of source) add(cutLine(line));
  } else {
    let partial: Buffer | undefined;
    for await (const chunk of source) {
      const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let pos = 0;
      for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, pos)) {
        if (partial) {
          const whole = Buffer.concat([partial, buf.subarray(pos, Math.min(nl, pos + MAX_LINE_BYTES))]);
          add(lineAt(whole, 0, whole.length));
          partial = undefined;
        } else {
          add(lineAt(buf, pos, nl));
        }
        pos = nl + 1;
      }
      if (pos < buf.length) {
        // Copied: the caller may reuse its buffer. Beyond MAX_LINE_BYTES the rest of the line is dropped.
        const rest = buf.subarray(pos, pos + Math.max(0, MAX_LINE_BYTES - (partial?.length ?? 0)));
        partial = partial ? Buffer.concat([partial, rest]) : Buffer.from(rest);
      }
    }
    if (partial) add(lineAt(partial, 0, partial.length));
  }
  return {
    has: (normalisedLine) => set.has(fingerprint(maskVolatile(normalisedLine))),
    get size() {
      return set.size;
    },
  };
}
