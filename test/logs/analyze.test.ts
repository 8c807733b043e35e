import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../src/logs/analyze.ts";
import { REDACTED } from "../../src/logs/redact.ts";
import type { LogAnalysis } from "../../src/logs/types.ts";
import { FIXTURES, shown } from "./read-fixture.ts";

const fixtureLines = (name: string): string[] => readFileSync(FIXTURES + name, "utf8").replace(/\n$/, "").split("\n");
const gha = (lines: readonly string[]): string[] => lines.map((l, i) => `2024-05-14T09:21:${String(i % 60).padStart(2, "0")}.0000000Z ${l}`);

/** The log's bytes in chunks of `size`, as a stream delivers them: characters and escape codes cut anywhere. */
async function* inChunks(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Everything but the byte count, which counts what was read (a line list has no trailing newline to count). */
const apartFromBytes = ({ bytes: _bytes, ...rest }: LogAnalysis) => rest;

describe("analyzeLog", () => {
  it("reads a streamed log and the same log's lines alike", async () => {
    const lines = fixtureLines("raw/vitest.log");
    const text = lines.join("\n") + "\n";
    const streamed = await analyzeLog(inChunks(text, 3), { secrets: [] });
    const fromLines = await analyzeLog(lines, { secrets: [] });
    expect(apartFromBytes(streamed)).toEqual(apartFromBytes(fromLines));
    expect(streamed.failures.length).toBeGreaterThan(0);
    expect(fromLines.lines).toBe(lines.length);
    expect(streamed.bytes).toBe(Buffer.byteLength(text));
    expect(fromLines.bytes).toBe(Buffer.byteLength(text));
  });

  it("shows a failure repeated in the log once, with its count", async () => {
    // A retried job prints the same failures twice.
    const once = fixtureLines("raw/vitest.log");
    const result = await analyzeLog([...once, ...once], { secrets: [] });
    expect(result.failures.map((f) => [f.title, f.count])).toEqual([
      ["sub > subtracts", 2],
      ["sub > returns an object", 2],
    ]);
    expect(result.tests).toEqual({ failed: 4, passed: 4 });
  });

  it("lists at most 50 distinct failures and counts the rest", async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `src/f${i}.c:1:1: error: broken ${i}`);
    const result = await analyzeLog(lines, { secrets: [] });
    expect(result.failures).toHaveLength(50);
    expect(result.omittedFailures).toBe(10);
  });

  it("keeps memory bounded on a two-million-line log", async () => {
    function* huge(): Generator<string> {
      for (let i = 0; i < 2_000_000; i += 1) {
        if (i % 100_000 === 99_999) yield `src/gen${i}.ts(${i % 97},3): error TS2322: Type 'string' is not assignable to type 'number'.`;
        else yield `\u001b[32m✓\u001b[39m test case ${i} passes \u001b[2m(${i % 13}ms)\u001b[22m`;
      }
    }
    const before = process.memoryUsage().heapUsed;
    const result = await analyzeLog(huge(), { secrets: [] });
    const grown = process.memoryUsage().heapUsed - before;
    expect(result.lines).toBe(2_000_000);
    expect(result.failures).toHaveLength(20);
    expect(result.tail.length).toBeLessThanOrEqual(30);
    expect(JSON.stringify(result).length).toBeLessThan(20_000);
    // The log itself is ~100 MB of strings; what stays alive is the look-back ring and the result.
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  it("finishes on a 50 MB line given as one line", async () => {
    const result = await analyzeLog([`Error: ${"x".repeat(50 * 1024 * 1024)}`], { secrets: [] });
    expect(result.lines).toBe(1);
    expect(result.tail[0]?.length).toBeLessThan(20_000);
  });

  it("keeps only the start of a 50 MB line streamed with no newline, whatever the chunking", async () => {
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from("Error: ");
      for (let i = 0; i < 50; i += 1) yield Buffer.alloc(1024 * 1024, 0x78);
      yield Buffer.from("\nnext line\n");
    }
    const result = await analyzeLog(body(), { secrets: [] });
    expect(result.lines).toBe(2);
    expect(result.bytes).toBe(7 + 50 * 1024 * 1024 + 11);
    expect(result.tail[0]).toMatch(/^Error: x+ …\[line cut\]$/);
    expect(result.tail[0]?.length).toBeLessThan(20_000);
    expect(result.tail[1]).toBe("next line");
  });
});

describe("analyzeLog: lines the byte scanner must not skip", () => {
  it("finds a keyword that only the normalised line shows, colour codes removed", async () => {
    const log = ["$ make", "src/app.c:3:1:\u001b[1m err\u001b[0mor\u001b[0m: expected ';' before '}' token", "    3 | }", "make: *** [Makefile:2: app] Error 1"];
    for (const result of [await analyzeLog(log, { secrets: [] }), await analyzeLog(inChunks(log.join("\n"), 64 * 1024), { secrets: [] })]) {
      expect(result.failures.map((f) => [f.tool, f.title, f.file, f.line])).toEqual([["gcc/clang", "expected ';' before '}' token", "src/app.c", 3]]);
    }
  });

  it("finds a keyword on the last line of a chunk and on a line split between two chunks", async () => {
    const log = gha(["> Task :test", "", "AppTest > addsNumbers() FAILED", "    org.opentest4j.AssertionFailedError: expected: <3> but was: <4>", "", "1 test completed, 1 failed"]);
    const text = log.join("\n") + "\n";
    const cutInKeyword = text.indexOf("completed") + 4;
    async function* twoChunks(): AsyncGenerator<string> {
      yield text.slice(0, cutInKeyword);
      yield text.slice(cutInKeyword);
    }
    for (const source of [inChunks(text, text.length), twoChunks()]) {
      const result = await analyzeLog(source, { secrets: [] });
      expect(result.failures.map((f) => [f.tool, f.kind, f.title])).toEqual([["gradle", "test", "AppTest > addsNumbers()"]]);
    }
  });

  it("reads a log the same in one chunk, in chunks of three bytes and line by line", async () => {
    const lines = gha(fixtureLines("raw/pytest.log"));
    const text = lines.join("\n") + "\n";
    const inOne = await analyzeLog(inChunks(text, text.length), { secrets: [] });
    expect(await analyzeLog(inChunks(text, 3), { secrets: [] })).toEqual(inOne);
    expect(apartFromBytes(await analyzeLog(lines, { secrets: [] }))).toEqual(apartFromBytes(inOne));
    expect(inOne.failures.length).toBeGreaterThan(0);
  });

  it("looks back at lines it skipped: the generic fallback shows the error before a failing exit", async () => {
    const noise = Array.from({ length: 5000 }, (_, i) => `compiled module ${i}`);
    const log = gha(["##[group]Run ./build.sh", "##[endgroup]", ...noise, "Segmentation fault (core dumped)", ...noise.slice(0, 3), "##[error]Process completed with exit code 139."]);
    const result = await analyzeLog(inChunks(log.join("\n") + "\n", 4096), { secrets: [] });
    expect(result.lines).toBe(log.length);
    expect(result.failures.map(shown).join("\n")).toContain("Segmentation fault (core dumped)");
    expect(result.tail.at(-1)).toBe("Process completed with exit code 139.");
  });
});

describe("analyzeLog: infrastructure failures", () => {
  it("says plainly when the runner was lost", async () => {
    const result = await analyzeLog(
      gha([
        "##[group]Run npm test",
        "npm test",
        "##[endgroup]",
        "  ✓ src/a.test.ts (3 tests) 4ms",
        "##[error]The hosted runner: GitHub Actions 12 lost communication with the server. Anything in your workflow that terminates the runner process, starves it for CPU/Memory, or blocks its network access can cause this error.",
      ]),
      { secrets: [] },
    );
    expect(result.failures.map((f) => [f.kind, f.title])).toEqual([["infrastructure", "The CI runner was lost before the job finished"]]);
  });

  it("tells a job timeout from a code failure", async () => {
    const result = await analyzeLog(
      gha([
        "##[group]Run npm run e2e",
        "##[endgroup]",
        "waiting for server...",
        "##[error]The job running on runner GitHub Actions 3 has exceeded the maximum execution time of 360 minutes.",
      ]),
      { secrets: [] },
    );
    expect(result.failures.map((f) => [f.kind, f.title])).toEqual([["timeout", "The job timed out after 360 minutes"]]);
  });

  it("reports exit code 137 as the process being killed", async () => {
    const result = await analyzeLog(gha(["##[group]Run make test", "##[endgroup]", "running suite 4/9", "##[error]Process completed with exit code 137."]), {
      secrets: [],
    });
    expect(result.failures.map((f) => [f.kind, f.title])).toEqual([
      ["infrastructure", "The job was killed (exit code 137), usually for running out of memory"],
    ]);
  });

  it("ignores network retries during setup when a later step fails for its own reason", async () => {
    const result = await analyzeLog(
      gha([
        "##[group]Run pip install -r requirements.txt",
        "##[endgroup]",
        ...fixtureLines("raw/pip-install.log"),
        "##[group]Run python -m pytest",
        "##[endgroup]",
        ...fixtureLines("raw/pytest.log"),
        "##[error]Process completed with exit code 1.",
      ]),
      { secrets: [] },
    );
    expect(result.failures.every((f) => f.kind === "test")).toBe(true);
    expect(result.failures).toHaveLength(3);
  });
});

describe("analyzeLog: redaction", () => {
  const token = ["gh", "s_", "Q".repeat(20), "7".repeat(16)].join("");
  const stored = "Xk9-" + "p2Lm".repeat(8);

  it("reads a vitest FAIL block without the report's rule and leaves the next lines to other tools", async () => {
    const result = await analyzeLog(
      [
        " FAIL  test/totals.test.ts > totals > is zero for an empty cart",
        "AssertionError: expected 1 to be +0 // Object.is equality",
        " ❯ test/totals.test.ts:27:31",
        "     27|     expect(total([])).toBe(0);",
        "       |                       ^",
        "src/api.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      ],
      { secrets: [] },
    );
    expect(result.failures.map((f) => [f.tool, f.title, f.file, f.line])).toEqual([
      ["vitest", "totals > is zero for an empty cart", "test/totals.test.ts", 27],
      ["tsc", expect.stringContaining("TS2322"), "src/api.ts", 3],
    ]);
  });

  it("counts a leading byte-order mark as the three bytes it is", async () => {
    const result = await analyzeLog(["\ufeffabc", "def"], { secrets: [] });
    expect(result.bytes).toBe(Buffer.byteLength("\ufeffabc\ndef\n"));
  });

  it("removes secrets from failures and the tail", async () => {
    const lines = [
      `Using token ${token}`,
      ` FAIL  src/api.test.ts > api > sends the key`,
      `AssertionError: expected 'Bearer ${stored}' to be 'Bearer other'`,
      ` ❯ src/api.test.ts:12:3`,
      `src/api.ts(3,7): error TS2322: '${stored}' is not assignable`,
      `curl -H "Authorization: Basic ${Buffer.from(`x-access-token:${stored}`).toString("base64")}"`,
    ];
    const result = await analyzeLog(lines, { secrets: [stored] });
    const everything = JSON.stringify(result);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(stored);
    expect(everything).not.toContain(Buffer.from(`x-access-token:${stored}`).toString("base64").slice(20, 40));
    expect(everything).toContain(REDACTED);
    expect(result.failures.map((f) => f.file)).toContain("src/api.ts");
  });

  it("hides a secret cut in half by the 16 KiB line limit", async () => {
    const line = "x".repeat(16 * 1024 - 12) + stored + " tail\n";
    async function* body(): AsyncGenerator<string> {
      yield line;
    }
    const result = await analyzeLog(body(), { secrets: [stored] });
    expect(result.tail.join("\n")).not.toContain(stored.slice(0, 10));
    expect(result.tail[0]).toMatch(/\[REDACTED\] …\[line cut\]$/);
  });

  it("drops every line of a private key printed over several lines", async () => {
    const body = "MIIEowIBAAKCAQEA7vZ" + "a".repeat(45);
    const result = await analyzeLog(
      ["before", "-----BEGIN RSA PRIVATE KEY-----", body, body, "-----END RSA PRIVATE KEY-----", "Error: bad key"],
      { secrets: [] },
    );
    expect(JSON.stringify(result)).not.toContain("MIIEowIBAAKCAQEA7vZ");
    expect(result.tail).toEqual(["before", REDACTED, REDACTED, REDACTED, REDACTED, "Error: bad key"]);
  });

  it("keeps CI mask markers", async () => {
    const result = await analyzeLog(["API_TOKEN=***", "Error: request failed with token=[MASKED]"], { secrets: [] });
    expect(result.tail).toEqual(["API_TOKEN=***", "Error: request failed with token=[MASKED]"]);
    expect(result.failures.map(shown).join("\n")).toContain("token=[MASKED]");
  });
});
