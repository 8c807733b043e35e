import { describe, expect, it } from "vitest";
import { LineScanner, WINDOW_BYTES } from "../../../src/logs/prefilter/scanner.ts";

const scanner = new LineScanner(["ERROR", "error: ", "●", "FAIL"]);

/** The start (in bytes) of each line the scanner stops at, and the lines it passed over in between. */
function scan(text: string): { hits: number[]; skipped: number } {
  const buf = Buffer.from(text);
  const hits: number[] = [];
  let skipped = 0;
  scanner.load(buf, 0, buf.length);
  for (;;) {
    const { lines, hit } = scanner.next();
    skipped += lines;
    if (hit < 0) return { hits, skipped };
    hits.push(hit);
    const next = buf.indexOf(10, hit) + 1;
    if (next >= buf.length) return { hits, skipped };
    scanner.resume(next);
  }
}

const lineStarts = (text: string, ...indexes: number[]): number[] => {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === "\n") starts.push(Buffer.byteLength(text.slice(0, i + 1)));
  return indexes.map((i) => starts[i] as number);
};

describe("LineScanner", () => {
  it("stops at the lines holding a literal and counts the lines it passes", () => {
    const text = "ok 1\nok 2\nsrc/a.c:1:2: error: x\nok 3\n● suite › test\nok 4\n";
    expect(scan(text)).toEqual({ hits: lineStarts(text, 2, 4), skipped: 4 });
  });

  it("finds a literal split by colour codes, as the normaliser would show it", () => {
    const text = "noise\n[\u001b[1;31mERR\u001b[mOR\u001b[m] boom\ngcc: \u001b[01;31m\u001b[Kerror: \u001b[m\u001b[Kx\n";
    expect(scan(text).hits).toEqual(lineStarts(text, 1, 2));
  });

  it("reads through OSC links, charset selects, 8-bit CSI and byte-order marks inside a word", () => {
    for (const split of ["\u001b]8;;https://x.test/\u001b\\", "\u001b]0;title\u0007", "\u001b(B", "\u009b1m", "\ufeff", "\u0000", "\u007f"]) {
      expect(scan(`a\nFA${split}IL here\n`).hits, JSON.stringify(split)).toEqual([2]);
    }
  });

  it("does not stop at a literal the normaliser removes with its escape sequence", () => {
    expect(scan("\u001b]0;FAIL in the window title\u0007done\n\u001bP ERROR \u001b\\ok\n").hits).toEqual([]);
  });

  it("stops at lines where the normaliser keeps part of a malformed sequence", () => {
    // An APC string with no terminator loses only `ESC _`; an 8-bit CSI with no final byte is kept whole.
    expect(scan("ok\n\u001b_bk;t=1715678488065FAIL\nok\n").hits).toEqual([3]);
    expect(scan("ok\n\u009b12\nok\n").hits).toEqual([3]);
  });

  it("reads a line of plain text across the carriage returns of a progress bar", () => {
    const text = "10%\r50%\r●done\nok\n";
    expect(scan(text).hits).toEqual([0]);
  });

  it("refuses a window larger than it can hold", () => {
    const big = Buffer.alloc(WINDOW_BYTES + 1, 0x61);
    expect(() => scanner.load(big, 0, big.length)).toThrow(RangeError);
  });
});
