import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../src/logs/analyze.ts";
import { readFileChunks } from "../../src/logs/read-file.ts";
import { FIXTURES } from "./read-fixture.ts";

describe("readFileChunks", () => {
  it("hands over a file's bytes in order, in chunks of at most 1 MiB read into two buffers in turn", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "ci-mender-")), "log.txt");
    const content = Buffer.from(Array.from({ length: 90_000 }, (_, i) => `line ${i} ✓\n`).join(""));
    writeFileSync(path, content);
    const copies: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of readFileChunks(path)) {
      expect(chunk.length).toBeLessThanOrEqual(1024 * 1024);
      buffers.add(chunk.buffer);
      copies.push(Buffer.from(chunk));
    }
    expect(copies.length).toBeGreaterThan(1);
    expect(buffers.size).toBe(2);
    expect(Buffer.concat(copies).equals(content)).toBe(true);
  });

  it("feeds the analyser, which keeps no view into the reused buffer", async () => {
    const result = await analyzeLog(readFileChunks(FIXTURES + "github-actions/vitest.log"), { secrets: [] });
    expect(result.failures.map((f) => f.title)).toContain("sub > subtracts");
    expect(result.tail.length).toBeGreaterThan(0);
  });

  it("closes the file when the reader stops early", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "ci-mender-")), "log.txt");
    writeFileSync(path, Buffer.alloc(3 * 1024 * 1024, 0x61));
    for await (const chunk of readFileChunks(path)) {
      expect(chunk.length).toBe(1024 * 1024);
      break;
    }
  });

  it("fails with the file system's error for a missing file", async () => {
    await expect(analyzeLog(readFileChunks(join(tmpdir(), "ci-mender-no-such-log")), { secrets: [] })).rejects.toMatchObject({ code: "ENOENT" });
  });
});
