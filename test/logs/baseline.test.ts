import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../src/logs/analyze.ts";
import { readBaseline } from "../../src/logs/baseline.ts";

async function* inChunks(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const PASSING = [
  "2024-05-14T09:21:07.1234567Z ##[group]Run npm test",
  "2024-05-14T09:21:07.2000000Z Downloaded 3 packages in 1.42s from http://127.0.0.1:40213/registry",
  "2024-05-14T09:21:08.0000000Z Created /tmp/tmp.Xk3bq9/cache for build 8d1e0f3a9b",
  "2024-05-14T09:21:08.5000000Z Warning: deprecated option --legacy, error handling may change",
  "2024-05-14T09:21:09.0000000Z Tests: 0 failed, 12 passed",
];

describe("readBaseline", () => {
  it("remembers a passing run's lines apart from their timestamps, durations, ports, temp paths and hashes", async () => {
    const baseline = await readBaseline(PASSING);
    expect(baseline.has("Downloaded 3 packages in 0.97s from http://127.0.0.1:35001/registry")).toBe(true);
    expect(baseline.has("Created /tmp/tmp.Qa81zz/cache for build 77c0aa12ef")).toBe(true);
    expect(baseline.has("Run npm test")).toBe(true);
    // A small count is what differs between a red and a green run: it is never masked.
    expect(baseline.has("Tests: 1 failed, 11 passed")).toBe(false);
    expect(baseline.has("Downloaded 4 packages in 0.97s from http://127.0.0.1:35001/registry")).toBe(false);
    expect(baseline.size).toBe(PASSING.length);
  });

  it("reads a streamed log cut anywhere (inside characters and lines) like its lines", async () => {
    const lines = [...PASSING, "ünïcödé ✓ line", "last line without newline"];
    const fromLines = await readBaseline(lines);
    for (const size of [1, 3, 7, 64]) {
      const streamed = await readBaseline(inChunks(lines.join("\n"), size));
      expect(streamed.size).toBe(fromLines.size);
      for (const l of ["ünïcödé ✓ line", "last line without newline", "Tests: 0 failed, 12 passed"]) expect(streamed.has(l)).toBe(true);
    }
  });

  it("keeps a fingerprint per distinct line, not the lines: a long log of repeats stays one entry", async () => {
    const baseline = await readBaseline(inChunks("same line at 12:00:01\n".repeat(50_000), 4096));
    expect(baseline.size).toBe(1);
  });
});

describe("analyzeLog with a baseline", () => {
  // The noise line comes last: without a baseline the fallback takes the last error-looking line.
  const failing = [
    "##[group]Run npm test",
    "Error: expected 2 to equal 3",
    "",
    "Warning: deprecated option --legacy, error handling may change",
    "##[error]Process completed with exit code 1.",
  ];

  it("never takes a line the passing run printed too for the cause", async () => {
    const without = await analyzeLog(failing, { secrets: [] });
    expect(without.failures.map((f) => f.message)).toEqual(["Warning: deprecated option --legacy, error handling may change"]);
    const withIt = await analyzeLog(failing, { secrets: [], baseline: await readBaseline(PASSING) });
    expect(withIt.failures.map((f) => f.message)).toEqual(["Error: expected 2 to equal 3"]);
  });
});
