import { describe, expect, it } from "vitest";
import { analyzeFixture, shown } from "../read-fixture.ts";

// Docker's daemon does not run here: the fixtures are written from BuildKit's documented plain-progress output.
describe("docker build extractor", () => {
  it("reads failed to solve with the failed step's output and the Dockerfile lines BuildKit prints above it", async () => {
    const result = await analyzeFixture("documented/docker-buildx.log");
    expect(result.failures.map((f) => [f.kind, f.tool, f.title])).toEqual([
      ["error", "docker", 'process "/bin/sh -c npm ci" did not complete successfully: exit code: 1'],
    ]);
    const text = shown(result.failures[0]!);
    expect(text).toContain("> [4/5] RUN npm ci:");
    expect(text).toContain("5 | >>> RUN npm ci");
    expect(text).not.toContain("load build definition");
  });

  it("reads older buildx's lower-case error: line as docker's, not rustc's", async () => {
    const result = await analyzeFixture("documented/docker-legacy.log");
    expect(result.failures.map((f) => [f.tool, f.title])).toEqual([
      ["docker", 'failed to compute cache key: failed to calculate checksum of ref 1a2b3c::4d5e6f: "/dist": not found'],
    ]);
  });
});
