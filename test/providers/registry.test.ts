import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ReferenceInvalid } from "../../src/errors.ts";
import { providers, resolveBuild, restoreBuild, restoreJob } from "../../src/providers/registry.ts";
import { PROVIDER_IDS } from "../../src/ci-kinds.ts";
import { providerSettings } from "./support.ts";

const PROVIDERS_DIR = path.resolve(import.meta.dirname, "../../src/providers");

describe("provider registry", () => {
  it("registers exactly one provider per folder under src/providers/, under the folder's name", () => {
    const folders = readdirSync(PROVIDERS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect([...providers.keys()].sort()).toEqual(folders);
    expect([...PROVIDER_IDS].sort()).toEqual(folders);
    for (const [id, provider] of providers) expect(provider.id).toBe(id);
  });

  it("lets each provider claim only its own links", () => {
    const settings = providerSettings();
    const claims = (url: string) => resolveBuild({ url }, settings)?.provider.id ?? null;
    expect(claims("https://buildkite.com/acme/widgets-ci/builds/1482")).toBe("buildkite");
    expect(claims("https://app.bitrise.io/build/f2b4a1c9d83e7056")).toBe("bitrise");
    expect(claims("https://github.com/acme/widgets/actions/runs/13801234567/job/38712345678")).toBe("github-actions");
    expect(claims("https://circleci.com/gh/acme/widgets/1042")).toBe("circleci");
    expect(claims("https://travis-ci.com/acme/widgets/builds/1")).toBeNull();
  });

  it("reads a reference back from JSON (a queue or a store) through its provider's schema", () => {
    const settings = providerSettings();
    const found = resolveBuild({ url: "https://buildkite.com/acme/widgets-ci/builds/1482#0190f8a4-2a11-4c8e-8f6b-1d2e3f4a5b61" }, settings);
    expect(found).not.toBeNull();
    const stored: unknown = JSON.parse(JSON.stringify({ ids: found!.ids, key: found!.key }));
    const restored = restoreBuild("buildkite", stored as { ids: unknown; key: string });
    expect(restored.ids).toEqual(found!.ids);
    expect(restored.key).toBe(found!.key);
  });

  it("refuses a stored reference or log handle its provider never writes", () => {
    expect(() => restoreBuild("buildkite", { key: "k", ids: { kind: "build", org: "acme", pipeline: "../x", number: "1" } })).toThrow(ReferenceInvalid);
    expect(() => restoreBuild("circleci", { key: "k", ids: { kind: "job", slug: "github/acme/widgets" } })).toThrow(ReferenceInvalid);
    const summary = { id: "1042", name: "test", webUrl: "https://app.circleci.com/", status: "failed" };
    expect(() => restoreJob("circleci", { ...summary, log: { slug: "github/acme/widgets", job: 1042, steps: "[]" } })).toThrow(ReferenceInvalid);
    const steps = [{ name: "npm test", exitCode: 1, url: null }];
    expect(restoreJob("circleci", { ...summary, log: { slug: "github/acme/widgets", job: 1042, steps } }).log).toEqual({
      slug: "github/acme/widgets",
      job: 1042,
      steps,
    });
  });
});
