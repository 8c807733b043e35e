import fc from "fast-check";
import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, it } from "vitest";
import { type CommentState, hasMarker, readMarker, renderMarker } from "../../src/report/marker.ts";

const SHA = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
const SHA256 = "9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab";

const context = fc
  .array(fc.oneof(fc.constantFrom("-", "--", "->", "-->", "--!>", "<!--", ">", "!", " ", "\n", "\\", '"', "\u2028", "é", "😀"), fc.string({ maxLength: 4 })), {
    maxLength: 20,
  })
  .map((parts) => parts.join("").slice(0, 200));
const state = fc.record({
  state: fc.constantFrom<CommentState["state"]>("failing", "resolved"),
  sha: fc.constantFrom(SHA, SHA256),
  contexts: fc.array(context, { maxLength: 50 }),
});

describe("comment marker", () => {
  it("reads back exactly what was rendered (property)", () => {
    fc.assert(
      fc.property(state, (s) => {
        expect(readMarker(renderMarker(s))).toEqual(s);
        expect(readMarker(`${renderMarker(s)}\n\n## ❌ 2 failed jobs\n\nbody -->`)).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });

  it("cannot be closed early by `--` or `-->` inside a check name (property)", () => {
    fc.assert(
      fc.property(state, (s) => {
        const marker = renderMarker(s);
        expect(marker.indexOf("--", 4)).toBe(marker.length - 3);
        expect(marker).not.toContain("\n");
        const tree = fromMarkdown(`${marker}\n\nvisible`) as unknown as { children: Array<{ type: string; value?: string }> };
        expect(tree.children.map((n) => n.type)).toEqual(["html", "paragraph"]);
        expect(tree.children[0]!.value).toBe(marker);
      }),
      { numRuns: 300 },
    );
  });

  it("starts the body with the hidden prefix ci-mender looks for", () => {
    const marker = renderMarker({ state: "failing", sha: SHA, contexts: ["ci/circleci: test"] });
    expect(marker.startsWith("<!-- ci-mender:v1 ")).toBe(true);
    expect(marker.endsWith(" -->")).toBe(true);
    expect(hasMarker(`${marker}\n\nrest`)).toBe(true);
  });

  it("still reads the comment when a matrix reports more check names than the marker keeps", () => {
    const contexts = Array.from({ length: 400 }, (_, i) => `test (shard ${i})`);
    const read = readMarker(renderMarker({ state: "failing", sha: SHA, contexts }));
    expect(read?.state).toBe("failing");
    expect(read?.sha).toBe(SHA);
    expect(read?.contexts).toEqual(contexts.slice(0, 50));
  });

  it("still reads the comment when a check name is longer than the marker keeps", () => {
    const long = `matrix / ${"x".repeat(300)}`;
    const read = readMarker(renderMarker({ state: "failing", sha: SHA, contexts: ["lint", long, "test"] }));
    expect(read?.contexts).toEqual(["lint", "test"]);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["an empty body", ""],
    ["someone else's comment", "LGTM, thanks!"],
    ["the marker not at the start", `hello\n<!-- ci-mender:v1 {"state":"failing","sha":"${SHA}","contexts":[]} -->`],
    ["another version", `<!-- ci-mender:v2 {"state":"failing","sha":"${SHA}","contexts":[]} -->`],
    ["no closing -->", `<!-- ci-mender:v1 {"state":"failing","sha":"${SHA}","contexts":[]}`],
    ["no closing --> but a trailing character", `<!-- ci-mender:v1 {"state":"failing","sha":"${SHA}","contexts":[]}x`],
    ["broken JSON", "<!-- ci-mender:v1 {state: failing} -->"],
    ["JSON that is not an object", "<!-- ci-mender:v1 42 -->"],
    ["an unknown state", `<!-- ci-mender:v1 {"state":"approved","sha":"${SHA}","contexts":[]} -->`],
    ["a short sha", `<!-- ci-mender:v1 {"state":"failing","sha":"8f3c2a1","contexts":[]} -->`],
    ["an upper-case sha", `<!-- ci-mender:v1 {"state":"failing","sha":"${SHA.toUpperCase()}","contexts":[]} -->`],
    ["contexts that are not strings", `<!-- ci-mender:v1 {"state":"failing","sha":"${SHA}","contexts":[1,2]} -->`],
    ["too many contexts", `<!-- ci-mender:v1 {"state":"failing","sha":"${SHA}","contexts":${JSON.stringify(Array(51).fill("a"))}} -->`],
    ["a missing field", `<!-- ci-mender:v1 {"state":"failing","sha":"${SHA}"} -->`],
  ])("answers null for %s", (_label, body) => {
    expect(readMarker(body)).toBeNull();
  });

  it("tells our comment from others by its prefix only", () => {
    expect(hasMarker(null)).toBe(false);
    expect(hasMarker("<!-- ci-mender:v1")).toBe(false);
    expect(hasMarker("<!-- ci-mender:v1 anything")).toBe(true);
    expect(hasMarker(" <!-- ci-mender:v1 {}")).toBe(false);
  });
});
