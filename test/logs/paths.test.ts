import { expect, it } from "vitest";
import { repoRelative } from "../../src/logs/paths.ts";

it.each([
  ["/home/runner/work/demo/demo/src/a.ts", "src/a.ts"],
  ["/Users/runner/work/demo/demo/src/a.ts", "src/a.ts"],
  ["D:\\a\\demo\\demo\\src\\a.ts", "src/a.ts"],
  ["C:\\a\\demo\\demo\\src\\a.ts", "src/a.ts"],
  ["/__w/demo/demo/src/a.ts", "src/a.ts"],
  ["/github/workspace/src/a.ts", "src/a.ts"],
  ["/home/circleci/project/src/a.ts", "src/a.ts"],
  ["/buildkite/builds/agent-1/acme/demo/src/a.ts", "src/a.ts"],
  ["/var/lib/buildkite-agent/builds/host-1/acme/demo/src/a.ts", "src/a.ts"],
  ["/builds/acme/demo/src/a.ts", "src/a.ts"],
  ["/bitrise/src/src/a.ts", "src/a.ts"],
  ["file:///home/runner/work/demo/demo/src/a.ts", "src/a.ts"],
  ["./src/a.ts", "src/a.ts"],
  ["src/a.ts", "src/a.ts"],
])("%s is %s in the repository", (path, relative) => {
  expect(repoRelative(path)).toBe(relative);
});
