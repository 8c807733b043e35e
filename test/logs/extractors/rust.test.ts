import { describe, expect, it } from "vitest";
import { analyzeLog } from "../../../src/logs/analyze.ts";
import { analyzeFixture } from "../read-fixture.ts";

describe("plain error: lines", () => {
  // Captured: `git checkout release-2; git push origin main` in a fresh repository (git 2.39.5).
  it("labels git's error: lines as git's, not rustc's", async () => {
    const result = await analyzeFixture("raw/git-error.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title])).toEqual([
      ["error", "git", "pathspec 'release-2' did not match any file(s) known to git"],
      ["error", "git", "src refspec main does not match any"],
      ["error", "git", "failed to push some refs to 'origin'"],
    ]);
  });

  it("labels an error: line without a code or a place by no tool, unless the step names one", async () => {
    const plain = await analyzeLog(["error: the configuration file is missing", "exit status 1"], { secrets: [] });
    expect(plain.failures.map((f) => [f.kind, f.tool])).toEqual([["error", "generic"]]);
    const cargo = await analyzeLog(["##[group]Run cargo build --locked", "##[endgroup]", "error: the lock file needs to be updated but --locked was passed", "##[error]Process completed with exit code 101."], { secrets: [] });
    expect(cargo.failures.map((f) => [f.kind, f.tool])).toEqual([["error", "cargo"]]);
  });

  it("keeps rustc's label on a diagnostic with a code or a place", async () => {
    const result = await analyzeLog(["error[E0425]: cannot find value `x` in this scope", " --> src/main.rs:2:13", "  |", ""], { secrets: [] });
    expect(result.failures.map((f) => [f.kind, f.tool, f.file])).toEqual([["compile", "rustc", "src/main.rs"]]);
  });
});
