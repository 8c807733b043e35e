import { describe, expect, it } from "vitest";
import { normaliseJobName } from "../../src/history/job-name.ts";

describe("normaliseJobName", () => {
  it.each([
    ["test (3/8)", "test"],
    ["test 3/8", "test"],
    ["unit [linux, 20]", "unit"],
    ["build (ubuntu-latest, 20)", "build"],
    ["ci/circleci: test", "ci/circleci: test"],
    ["lint (eslint)", "lint (eslint)"],
    ["(1/2)", "(1/2)"],
  ])("%s is the job %s", (name, expected) => {
    expect(normaliseJobName(name)).toBe(expected);
  });
});
