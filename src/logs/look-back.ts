import { lineAt } from "./line-cut.ts";
import { normaliseLine } from "./normalise.ts";

/** Lines the analyser passed over unread: still raw bytes, decoded only if somebody looks back at them. */
interface Skipped {
  buf: Buffer;
  from: number;
  to: number;
  first: number;
  lines: number;
}

/**
 * The last `size` normalised lines of a log, by line number (from 1). Most lines of a log are never looked at
 * again, so lines the pre-filter skipped stay the raw bytes they came in (only while they can still be looked
 * at) and are normalised the first time `at` asks for one of them.
 */
export class LookBack {
  readonly #size: number;
  readonly #ring: string[];
  #skipped: Skipped[] = [];
  /** The newest line number put or skipped. */
  #last = 0;

  constructor(size: number) {
    this.#size = size;
    this.#ring = new Array<string>(size).fill("");
  }

  /** Line `n`'s text; only the last `size` lines are kept. */
  at(n: number): string {
    for (let i = 0; i < this.#skipped.length; i += 1) {
      const span = this.#skipped[i] as Skipped;
      if (n >= span.first && n < span.first + span.lines) {
        this.#skipped.splice(i, 1);
        this.#decode(span);
        break;
      }
    }
    return this.#ring[(n - 1) % this.#size] as string;
  }

  put(n: number, text: string): void {
    this.#ring[(n - 1) % this.#size] = text;
    this.#last = n;
    this.#forget();
  }

  /**
   * Lines `first` to `first + lines - 1` are `buf[from, to)`: whole lines, each ending with a newline. `buf` is
   * read in place until `release(buf)`.
   */
  skip(buf: Buffer, from: number, to: number, first: number, lines: number): void {
    this.#skipped.push({ buf, from, to, first, lines });
    this.#last = first + lines - 1;
    this.#forget();
  }

  /**
   * The caller is done with `buf` (and may reuse it): the skipped lines in it that can still be looked at are
   * copied out, found from the end so that a chunk of a million quiet lines costs a few hundred steps.
   */
  release(buf: Buffer): void {
    const oldest = this.#last - this.#size + 1;
    for (const span of this.#skipped) {
      if (span.buf !== buf) continue;
      let from = span.to;
      let first = span.first + span.lines;
      while (from > span.from && first > oldest) {
        // (A negative offset would count from the buffer's end.)
        from = from - 2 < span.from ? span.from : Math.max(span.from, span.buf.lastIndexOf(10, from - 2) + 1);
        first -= 1;
      }
      span.buf = Buffer.from(buf.subarray(from, span.to));
      span.lines -= first - span.first;
      span.first = first;
      span.to -= from;
      span.from = 0;
    }
  }

  /** Skipped lines that can no longer be looked at are let go, and the chunks they pinned with them. */
  #forget(): void {
    const oldest = this.#last - this.#size + 1;
    while (this.#skipped.length > 0) {
      const span = this.#skipped[0] as Skipped;
      if (span.first + span.lines > oldest) break;
      this.#skipped.shift();
    }
  }

  /** Normalises a skipped span's lines that are still among the last `size` into the ring. */
  #decode(span: Skipped): void {
    const oldest = this.#last - this.#size + 1;
    let n = span.first;
    let at = span.from;
    for (; n < oldest; n += 1) at = span.buf.indexOf(10, at) + 1;
    for (; at < span.to; n += 1) {
      const nl = span.buf.indexOf(10, at);
      this.#ring[(n - 1) % this.#size] = normaliseLine(lineAt(span.buf, at, nl));
      at = nl + 1;
    }
  }
}
