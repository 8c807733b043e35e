import { describe, expect, it } from "vitest";
import { planSuggestions, prDiffLines } from "../../src/fixes/suggestions.ts";
import type { Fix } from "../../src/fixes/types.ts";
import { parseUnifiedDiff } from "../../src/fixes/unified-diff.ts";

const CONTENT = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].join("\n") + "\n";

function fix(patch: string): Fix {
  const [file] = parseUnifiedDiff(patch);
  return {
    candidate: { source: "ci", tool: "black", jobName: "lint", signature: "s", patch },
    files: [{ path: "x.py", before: { path: "x.py", sha: "0".repeat(40), content: CONTENT }, after: "", patch: file! }],
  };
}

describe("planning suggestions", () => {
  const diff = prDiffLines([{ filename: "x.py", patch: "@@ -1,3 +1,4 @@\n a\n+b\n c\n-x\n d\n@@ -8,3 +9,3 @@\n h\n-q\n+i\n j" }]);

  it("reads the PR's diff as the head lines a comment may anchor on, hunk by hunk", () => {
    expect([...diff.get("x.py")!]).toEqual([[1, 0], [2, 0], [3, 0], [4, 0], [9, 1], [10, 1], [11, 1]]);
  });

  it("anchors each run of changed lines on the head lines it replaces", () => {
    const plan = planSuggestions([fix("--- a/x.py\n+++ b/x.py\n@@ -1,4 +1,3 @@\n a\n-b\n-c\n+B\n d\n")], diff);
    expect(plan.suggestions).toEqual([{ path: "x.py", startLine: 2, line: 3, replacement: ["B"], tool: "black", jobName: "lint" }]);
    expect(plan.outside).toEqual([]);
  });

  it("suggests an insertion as the line before it plus the new lines", () => {
    const plan = planSuggestions([fix("--- a/x.py\n+++ b/x.py\n@@ -2,0 +3,1 @@\n+new\n")], diff);
    expect(plan.suggestions).toEqual([{ path: "x.py", startLine: 2, line: 2, replacement: ["b", "new"], tool: "black", jobName: "lint" }]);
  });

  it("keeps a hunk that leaves the PR's diff out of the review, without sinking the hunks that fit", () => {
    const patch = "--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n@@ -5,2 +5,2 @@\n-e\n+E\n f\n";
    const plan = planSuggestions([fix(patch)], diff);
    expect(plan.suggestions.map((s) => s.startLine)).toEqual([1]);
    expect(plan.outside).toHaveLength(1);
    expect(plan.outside[0]!.hunks.map((h) => h.oldStart)).toEqual([5]);
  });

  it("never spans two hunks of the PR's diff with one suggestion", () => {
    const wide = prDiffLines([{ filename: "x.py", patch: "@@ -1,2 +1,2 @@\n a\n b\n@@ -3,2 +3,2 @@\n c\n d" }]);
    const plan = planSuggestions([fix("--- a/x.py\n+++ b/x.py\n@@ -2,2 +2,1 @@\n-b\n-c\n+bc\n")], wide);
    expect(plan.suggestions).toEqual([]);
    expect(plan.outside).toHaveLength(1);
  });
});
