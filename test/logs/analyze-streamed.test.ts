import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../src/logs/analyze.ts";
import type { LogAnalysis } from "../../src/logs/types.ts";
import { FIXTURES } from "./read-fixture.ts";

/*
 * The byte scanner lets the analyser skip lines without decoding them. Reading a log line by line (every line
 * decoded, normalised and filtered) is the reference: a streamed log must give the same analysis, whatever its
 * chunking and whatever escape codes, stamps and control characters surround or split its words.
 */

const toolLines = ["raw/", "documented/"].flatMap((dir) =>
  readdirSync(FIXTURES + dir)
    .filter((f) => f.endsWith(".log"))
    .flatMap((f) => readFileSync(FIXTURES + dir + f, "utf8").split("\n")),
);

const framing = [
  "##[group]Run npm test",
  "##[endgroup]",
  "##[error]Process completed with exit code 1.",
  "##[error]Process completed with exit code 137.",
  "--- :npm: Install",
  "+++ :vitest: Run tests",
  "~~~ Running global pre-command hook",
  "🚨 Error: The command exited with status 1",
  "$ npm test",
  "section_start:1715678469:step_script\r\u001b[0KExecuting step script",
  "section_end:1715678469:step_script\r\u001b[0K",
  "ERROR: Job failed: exit code 1",
  "Exited with code exit status 2",
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEA7vZaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "-----END RSA PRIVATE KEY-----",
];

const noise = fc.oneof(
  fc.constantFrom("compiled module 12", "", "  ✓ renders the label 4ms", "Downloading 50%", "npm warn deprecated glob@7.2.3"),
  fc.string({ maxLength: 40 }),
);

/** Escape codes and controls a terminal or a CI runner puts in, including malformed and unterminated ones. */
const insert = fc.constantFrom(
  "\u001b[31m",
  "\u001b[0m",
  "\u001b[1;31m",
  "\u001b[K",
  "\u001b[?25l",
  "\u001b]8;;https://example.com/x\u001b\\",
  "\u001b]0;window title\u0007",
  "\u001b(B",
  "\u001b7",
  "\u001b_bk;t=1715678488065\u0007",
  "\u001b_bk;t=1715678488065",
  "\u001b_APC with no end",
  "\u009b1m",
  "\u009b12",
  "\ufeff",
  "\u0000",
  "\u0007",
  "\r",
  "50%\r",
  "\u001b",
  "\u001b[",
  "\u001bP1$r\u001b\\",
);

const decoratedLine = fc
  .tuple(
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...toolLines) }, { weight: 1, arbitrary: fc.constantFrom(...framing) }, { weight: 4, arbitrary: noise }),
    fc.constantFrom("", "", "2024-05-14T09:21:07.1234567Z ", "\u001b_bk;t=1715678488065\u0007"),
    fc.array(fc.tuple(fc.nat(), insert), { maxLength: 3 }),
  )
  .map(([line, prefix, inserts]) => {
    // Inserted between whole characters: a lone surrogate would not survive UTF-8 in the first place.
    const chars = Array.from(line);
    for (const [at, code] of inserts) chars.splice(at % (chars.length + 1), 0, code);
    return prefix + chars.join("");
  });

/**
 * A log's bytes cut into chunks of the given sizes (cycled): some handed over as text, or all through one buffer
 * the source reuses (as `readFileChunks` does), so that nothing kept may point into it.
 */
async function* chunked(text: string, sizes: readonly number[], how: "bytes" | "text" | "reused"): AsyncGenerator<Buffer | string> {
  const bytes = Buffer.from(text);
  const scratch = Buffer.alloc(Math.max(...sizes));
  let k = 0;
  for (let i = 0; i < bytes.length; k += 1) {
    const size = sizes[k % sizes.length] as number;
    const piece = bytes.subarray(i, i + size);
    if (how === "reused") {
      piece.copy(scratch);
      yield scratch.subarray(0, piece.length);
      scratch.fill(0x78);
    } else if (how === "text" && k % 2 === 0 && isWhole(bytes, i, i + size)) {
      // Text only where the cut falls between characters, as a decoder would hand it over.
      yield piece.toString("utf8");
    } else {
      yield piece;
    }
    i += size;
  }
}

const isWhole = (bytes: Buffer, from: number, to: number): boolean =>
  (from >= bytes.length || (bytes[from] as number) < 0x80 || (bytes[from] as number) >= 0xc0) &&
  (to >= bytes.length || (bytes[to] as number) < 0x80 || (bytes[to] as number) >= 0xc0);

const apartFromBytes = ({ bytes: _bytes, ...rest }: LogAnalysis) => rest;

describe("analyzeLog on a streamed log", () => {
  it("finds what reading every line finds, whatever the chunking and the escape codes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(decoratedLine, { minLength: 1, maxLength: 250 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom("bytes" as const, "text" as const, "reused" as const),
        async (lines, sizes, how) => {
          const reference = await analyzeLog(lines, { secrets: [] });
          const streamed = await analyzeLog(chunked(lines.join("\n") + "\n", sizes, how), { secrets: [] });
          expect(apartFromBytes(streamed)).toEqual(apartFromBytes(reference));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds what reading every line finds in every recorded log, in chunks of any size", async () => {
    const names = readdirSync(FIXTURES, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".log"));
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) {
      const text = readFileSync(FIXTURES + name, "utf8");
      const reference = await analyzeLog(text.replace(/\n$/, "").split("\n"), { secrets: [] });
      for (const size of [1, 13, 4096, text.length]) {
        const streamed = await analyzeLog(chunked(text, [size], size === 4096 ? "reused" : "bytes"), { secrets: [] });
        expect(apartFromBytes(streamed), `${name} in chunks of ${size}`).toEqual(apartFromBytes(reference));
      }
    }
  });
});
