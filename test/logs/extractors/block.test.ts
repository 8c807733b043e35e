import { describe, expect, it } from "vitest";
import { blockReader, ELIDED } from "../../../src/logs/extractors/block.ts";
import type { Draft, ExtractContext } from "../../../src/logs/extractors/types.ts";

function context(): ExtractContext & { drafts: Draft[] } {
  const drafts: Draft[] = [];
  return {
    drafts,
    emit: (d) => drafts.push(d),
    count: () => undefined,
    retitle: () => false,
    previous: () => [],
    step: () => "",
    emitted: () => drafts.length,
  };
}

function reader(max: number) {
  return blockReader<string>((title, lines, ctx) => ctx.emit({ kind: "test", tool: "t", title, message: "", excerpt: lines }), max);
}

describe("blockReader", () => {
  it("reports the open block when the next one starts and when it is closed, each with its own lines", () => {
    const ctx = context();
    const block = reader(10);
    block.take("before any block is ignored");
    block.start("first", ctx);
    block.take("a");
    block.start("second", ctx);
    block.take("b");
    expect(block.meta).toBe("second");
    block.close(ctx);
    block.close(ctx);
    expect(ctx.drafts.map((d) => [d.title, d.excerpt])).toEqual([
      ["first", ["a"]],
      ["second", ["b"]],
    ]);
    expect(block.meta).toBeUndefined();
  });

  it("keeps the start and the end of a block longer than its cap: the cause at the end survives", () => {
    const ctx = context();
    const block = reader(20);
    block.start("long", ctx);
    for (let i = 1; i <= 100; i += 1) block.take(`line ${i}`);
    expect(block.size).toBe(20);
    block.close(ctx);
    const lines = ctx.drafts[0]?.excerpt ?? [];
    expect(lines.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `line ${i}`));
    expect(lines[8]).toBe(ELIDED);
    expect(lines.slice(9)).toEqual(Array.from({ length: 12 }, (_, k) => `line ${89 + k}`));
  });

  it("keeps every line of a block that fits", () => {
    const ctx = context();
    const block = reader(5);
    block.start("short", ctx);
    for (const l of ["1", "2", "3", "4", "5"]) block.take(l);
    block.close(ctx);
    expect(ctx.drafts[0]?.excerpt).toEqual(["1", "2", "3", "4", "5"]);
  });
});
