import { describe, expect, it } from "vitest";
import { classifyJob, type BaseObservation, type BaseRun } from "../../src/history/classify.ts";
import { failureSignature } from "../../src/history/signature.ts";
import type { Failure } from "../../src/logs/types.ts";

const MERGE_BASE = "5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928";
const failing: Failure = {
  kind: "test",
  tool: "vitest",
  title: "total > multiplies price by quantity",
  file: "src/totals.test.ts",
  line: 10,
  message: "AssertionError: expected 11 to be 10 // Object.is equality",
  excerpt: [],
  count: 1,
};
const other: Failure = { ...failing, title: "total > rounds to cents", message: "AssertionError: expected 0.3 to be 0.30000000000000004" };

function at(runs: BaseRun[], where: BaseObservation["where"] = "merge-base"): BaseObservation {
  return { sha: MERGE_BASE, branch: "main", where, runs };
}
const failedWith = (...f: Failure[]): BaseRun => ({ conclusion: "failure", url: "https://ci.example/1", signatures: new Set(f.map(failureSignature)) });
const passed: BaseRun = { conclusion: "success", url: "https://ci.example/2", signatures: null };

describe("classifyJob", () => {
  it("calls a failure broken on base only when the same signature failed there, and links the run", () => {
    const { failures } = classifyJob([failing, other], { mergeBase: at([failedWith(failing)]), latest: null });
    expect(failures[0]).toMatchObject({ verdict: "broken-on-base", link: { url: "https://ci.example/1" } });
    expect(failures[0]!.evidence).toContain("not caused by this PR");
    expect(failures[1]).toMatchObject({ verdict: "new" });
    expect(failures[1]!.evidence).toContain("but not with this failure");
  });

  it("calls a failure new when the job passed at the merge base", () => {
    expect(classifyJob([failing], { mergeBase: at([passed]), latest: null }).job.verdict).toBe("new");
  });

  it("calls a failure flaky when the same signature failed and then passed on one base commit", () => {
    expect(classifyJob([failing], { mergeBase: at([failedWith(failing), passed]), latest: null }).failures[0]!.verdict).toBe("flaky");
  });

  it("calls an infrastructure failure flaky whatever the base says", () => {
    const outage: Failure = { ...failing, kind: "infrastructure", tool: "network", title: "ECONNRESET" };
    expect(classifyJob([outage], { mergeBase: at([passed]), latest: null }).failures[0]!.verdict).toBe("flaky");
  });

  it("claims nothing when the base's failing log could not be read", () => {
    const unread: BaseRun = { conclusion: "failure", url: null, signatures: null };
    expect(classifyJob([failing], { mergeBase: at([unread]), latest: null }).failures[0]!.verdict).toBe("unclassified");
  });

  it("leaves a failure unclassified when the base has no completed run of the job", () => {
    expect(classifyJob([failing], { mergeBase: null, latest: null }).failures[0]!.verdict).toBe("unclassified");
  });

  it("uses the branch's latest completed run when the merge base did not run the job", () => {
    const c = classifyJob([failing], { mergeBase: null, latest: at([failedWith(failing)], "latest") }).failures[0]!;
    expect(c.verdict).toBe("broken-on-base");
    expect(c.evidence).toContain("`main` at `5b4a392` (its latest completed run)");
  });

  it("never calls a job with no named failure broken on base from a failing base alone", () => {
    expect(classifyJob([], { mergeBase: at([failedWith(failing)]), latest: null }).job.verdict).toBe("unclassified");
  });
});
