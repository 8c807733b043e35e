import { buildScanTables } from "./automaton.ts";
import { SCANNER_WASM } from "./scanner-wasm.ts";

/** The most bytes scanned per call: a window is copied into the module's memory first. */
export const WINDOW_BYTES = 1024 * 1024;

// The libraries this project compiles against (es2024, no DOM) do not declare WebAssembly: the parts used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface ScannerExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  state: { value: number };
  lines: { value: number };
  lineStart: { value: number };
  scan(i: number, end: number, table: number, classes: number, idle: number): number;
}

/** Compiled once per process: the module is a few hundred bytes. */
let compiled: object | undefined;

/**
 * Finds, in whole lines of raw log bytes, the next line holding one of the literals (after the terminal escape
 * sequences the normaliser removes), and counts the lines before it. Use: `load` a window that starts at a line
 * start and ends after a newline, then `next` until it reports no hit; after a hit, read that line and `resume`
 * at the start of the line after it.
 */
export class LineScanner {
  readonly #exports: ScannerExports;
  readonly #table: number;
  readonly #classes: number;
  readonly #idle: number;
  readonly #input: number;
  #base = 0;
  #end = 0;
  #at = 0;

  constructor(literals: readonly string[]) {
    const { table, classes, idle } = buildScanTables(literals);
    compiled ??= new WebAssembly.Module(Buffer.from(SCANNER_WASM, "base64"));
    this.#exports = new WebAssembly.Instance(compiled, {}).exports as unknown as ScannerExports;
    this.#table = 0;
    this.#classes = table.byteLength;
    this.#idle = this.#classes + 256;
    this.#input = this.#idle + 256;
    const needed = this.#input + WINDOW_BYTES;
    const memory = this.#exports.memory;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    const bytes = new Uint8Array(memory.buffer);
    bytes.set(new Uint8Array(table.buffer, table.byteOffset, table.byteLength), this.#table);
    bytes.set(classes, this.#classes);
    bytes.set(idle, this.#idle);
  }

  /** Copies `buf[from, to)` (at most WINDOW_BYTES, whole lines) in and starts at its first line. */
  load(buf: Uint8Array, from: number, to: number): void {
    if (to - from > WINDOW_BYTES) throw new RangeError("a scan window is at most WINDOW_BYTES");
    new Uint8Array(this.#exports.memory.buffer, this.#input, to - from).set(buf.subarray(from, to));
    this.#base = from;
    this.#end = this.#input + (to - from);
    this.resume(from);
  }

  /** Starts again at `at` (a line start inside the loaded window) with no line counted. */
  resume(at: number): void {
    this.#at = this.#input + (at - this.#base);
    this.#exports.state.value = 0;
    this.#exports.lines.value = 0;
    this.#exports.lineStart.value = this.#at;
  }

  /**
   * Scans on: `lines` whole lines passed without a hit; `hit` is where the line with a hit starts (in the
   * caller's buffer), or -1 when the window ended first.
   */
  next(): { lines: number; hit: number } {
    const stop = this.#exports.scan(this.#at, this.#end, this.#table, this.#classes, this.#idle);
    const lines = this.#exports.lines.value;
    if (stop < 0) {
      this.#at = this.#end;
      return { lines, hit: -1 };
    }
    this.#at = stop;
    return { lines, hit: this.#base + (this.#exports.lineStart.value - this.#input) };
  }
}
