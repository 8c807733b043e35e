import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LINE_CUT_MARK, splitLines } from "../../src/logs/split-lines.ts";
import { FIXTURES } from "./read-fixture.ts";

async function* from<T>(chunks: readonly T[]): AsyncGenerator<T> {
  for (const chunk of chunks) yield chunk;
}

async function collect(chunks: AsyncIterable<Buffer | Uint8Array | string>, maxLineChars?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of splitLines(chunks, maxLineChars)) out.push(...batch);
  return out;
}

/** The bytes in chunks of `size`, as a slow connection delivers them. */
function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe("splitLines", () => {
  const text = "✓ passes\n€ 2 ₿ 3\n😀 done\r\nlast";

  it("decodes characters cut by every possible chunk boundary", async () => {
    const bytes = Buffer.from(text);
    for (let at = 0; at <= bytes.length; at += 1) {
      expect(await collect(from([bytes.subarray(0, at), bytes.subarray(at)]))).toEqual(["✓ passes", "€ 2 ₿ 3", "😀 done\r", "last"]);
    }
    expect(await collect(from(pieces(bytes, 1)))).toEqual(["✓ passes", "€ 2 ₿ 3", "😀 done\r", "last"]);
  });

  it("reads plain Uint8Array chunks and string chunks alike", async () => {
    const bytes = Buffer.from(text);
    const plain = pieces(bytes, 5).map((b) => new Uint8Array(b));
    expect(await collect(from(plain))).toEqual(await collect(from([text])));
  });

  it("ends a stream cut inside a character with a replacement character", async () => {
    const bytes = Buffer.from("ok\nbroken €");
    expect(await collect(from([bytes.subarray(0, bytes.length - 1)]))).toEqual(["ok", "broken \ufffd"]);
  });

  it("cuts a long line at the same place however it arrives", async () => {
    const line = "€".repeat(30) + "x".repeat(30);
    const bytes = Buffer.from(`${line}\nnext\n`);
    const expected = ["€".repeat(20) + LINE_CUT_MARK, "next"];
    expect(await collect(from([bytes]), 20)).toEqual(expected);
    expect(await collect(from(pieces(bytes, 7)), 20)).toEqual(expected);
    expect(await collect(from([`${line}\nnext\n`]), 20)).toEqual(expected);
  });

  it("splits a real log the same whatever the chunk size", async () => {
    const bytes = readFileSync(FIXTURES + "github-actions/vitest.log");
    const whole = bytes.toString("utf8").split("\n");
    if (whole.at(-1) === "") whole.pop();
    for (const size of [1, 3, 64, 65_536]) expect(await collect(from(pieces(bytes, size)))).toEqual(whole);
  });

  it("splits large chunks of wide characters without losing or merging lines", async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `${"✓".repeat(i % 50)} test ${i} ${"€".repeat(i % 7)}`);
    const bytes = Buffer.from(lines.join("\n") + "\n");
    expect(bytes.length).toBeGreaterThan(3 * 65_536);
    expect(await collect(from(pieces(bytes, 65_536)))).toEqual(lines);
    expect(await collect(from([bytes]))).toEqual(lines);
  });
});
