import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { providers, resolveBuild } from "../../src/providers/registry.ts";
import { PROVIDER_IDS } from "../../src/providers/types.ts";
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
});
