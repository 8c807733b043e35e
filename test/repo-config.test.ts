import { readFileSync } from "node:fs";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { DEFAULT_REPO_CONFIG, isIgnoredCheck, loadRepoConfig, repoConfigJsonSchema, repoConfigSchema } from "../src/repo-config.ts";
import { testOctokit } from "./helpers/octokit.ts";

const API = "https://api.github.com";
const repo = { owner: "acme", name: "widgets" };
const FILE = "/repos/acme/widgets/contents/.github%2Fci-mender.yml";
const ORG_FILE = "/repos/acme/.github/contents/.github%2Fci-mender.yml";
// GitHub serves `format: raw` contents as text/plain.
const raw = { "content-type": "text/plain; charset=utf-8" };

describe("reading .github/ci-mender.yml", () => {
  it("uses the defaults when neither the repository nor the organisation's .github repository has the file", async () => {
    const scopes = [nock(API).get(FILE).reply(404), nock(API).get(ORG_FILE).reply(404)];
    await expect(loadRepoConfig(testOctokit(), repo)).resolves.toEqual({ config: DEFAULT_REPO_CONFIG });
    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(DEFAULT_REPO_CONFIG).toEqual({ fixes: "suggest", llm: "off", ignore_checks: [], comment_when_only_ignored: false, max_failures: 20 });
  });

  it("falls back to the organisation's .github repository", async () => {
    nock(API).get(FILE).reply(404);
    nock(API).get(ORG_FILE).reply(200, "fixes: off\nmax_failures: 5\n", raw);
    const { config, problem } = await loadRepoConfig(testOctokit(), repo);
    expect(problem).toBeUndefined();
    expect(config).toMatchObject({ fixes: "off", max_failures: 5 });
  });

  it("lets the repository's list replace the list of the file it extends, not add to it", async () => {
    nock(API).get(FILE).reply(200, "_extends: .github\nignore_checks: [docs]\n", raw);
    nock(API).get(ORG_FILE).reply(200, "ignore_checks: [lint, 'ci/*']\nllm: on\n", raw);
    const { config } = await loadRepoConfig(testOctokit(), repo);
    expect(config.ignore_checks).toEqual(["docs"]);
    expect(config.llm).toBe("on");
  });

  it("names the problem and applies the defaults for an unknown key or a wrong value", async () => {
    nock(API).get(FILE).reply(200, "fixes: always\nmax_failure: 3\n", raw);
    const { config, problem } = await loadRepoConfig(testOctokit(), repo);
    expect(config).toEqual(DEFAULT_REPO_CONFIG);
    expect(problem).toMatch(/^\.github\/ci-mender\.yml is invalid \(fixes: .*; \(file\): Unrecognized key: "max_failure"\); the defaults apply$/);
  });

  it("names the problem for YAML that does not parse", async () => {
    nock(API).get(FILE).reply(200, "fixes: [suggest\n", raw);
    const { config, problem } = await loadRepoConfig(testOctokit(), repo);
    expect(config).toEqual(DEFAULT_REPO_CONFIG);
    expect(problem).toContain("invalid YAML");
    expect(problem).toContain("the defaults apply");
  });

  it("leaves a GitHub outage to the queue's retry instead of silently using the defaults", async () => {
    nock(API).get(FILE).reply(502, { message: "Bad Gateway" });
    await expect(loadRepoConfig(testOctokit(), repo)).rejects.toMatchObject({ status: 502 });
  });
});

describe("ignored checks", () => {
  const config = repoConfigSchema.parse({ ignore_checks: ["docs", "ci/circleci: lint-*", "build (?)"] });
  it("match by exact name or glob, and nothing else", () => {
    expect(isIgnoredCheck(config, "docs")).toBe(true);
    expect(isIgnoredCheck(config, "ci/circleci: lint-go")).toBe(true);
    expect(isIgnoredCheck(config, "build (a)")).toBe(true);
    expect(isIgnoredCheck(config, "docs-build")).toBe(false);
    expect(isIgnoredCheck(config, "build (ab)")).toBe(false);
    expect(isIgnoredCheck(config, "ci/circleci: test")).toBe(false);
  });
});

describe("the JSON Schema", () => {
  it("shipped in docs/ is the one generated from the zod schema (run `npm run schema` after changing it)", () => {
    const shipped = JSON.parse(readFileSync(new URL("../docs/ci-mender.schema.json", import.meta.url), "utf8"));
    expect(shipped).toEqual(repoConfigJsonSchema());
    expect(shipped.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(shipped.additionalProperties).toBe(false);
    expect(shipped.required).toBeUndefined();
  });
});
