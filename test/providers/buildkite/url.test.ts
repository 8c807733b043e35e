import { describe, expect, it } from "vitest";
import { buildkite } from "../../../src/providers/buildkite/index.ts";
import { providerSettings } from "../support.ts";
import { JOBS, INTEGRATION_STEP } from "./nock.ts";

const settings = providerSettings();
const BUILD = "https://buildkite.com/acme/widgets-ci/builds/1482";
const resolve = (url: string | null, extra: { appSlug?: string; context?: string } = {}) =>
  buildkite.resolve({ url, ...extra }, settings);

describe("Buildkite link recognition", () => {
  it("reads org, pipeline and build number from a build link", () => {
    expect(resolve(BUILD)).toEqual({
      provider: "buildkite",
      ids: { kind: "build", org: "acme", pipeline: "widgets-ci", number: "1482" },
      key: "buildkite:acme/widgets-ci#1482",
    });
    expect(resolve(`${BUILD}/`)?.key).toBe("buildkite:acme/widgets-ci#1482");
  });

  it("reads the job from a #<job-uuid> anchor and from ?jid= links, with one key for both", () => {
    const anchored = resolve(`${BUILD}#${JOBS.rspec1}`);
    const canvas = resolve(`${BUILD}/steps/canvas?jid=${JOBS.rspec1}&tab=output`);
    const query = resolve(`${BUILD}?jid=${JOBS.rspec1.toUpperCase()}`);
    expect(anchored?.ids).toEqual({ kind: "job", org: "acme", pipeline: "widgets-ci", number: "1482", job: JOBS.rspec1 });
    expect(canvas?.ids).toEqual(anchored?.ids);
    expect(query?.ids).toEqual(anchored?.ids);
    expect(new Set([anchored?.key, canvas?.key, query?.key])).toEqual(new Set([`buildkite:acme/widgets-ci#1482:job:${JOBS.rspec1}`]));
  });

  it("reads a step from ?sid= on canvas and build links", () => {
    for (const url of [`${BUILD}/steps/canvas?sid=${INTEGRATION_STEP}`, `${BUILD}?sid=${INTEGRATION_STEP}`]) {
      expect(resolve(url)).toEqual({
        provider: "buildkite",
        ids: { kind: "step", org: "acme", pipeline: "widgets-ci", number: "1482", step: INTEGRATION_STEP },
        key: `buildkite:acme/widgets-ci#1482:step:${INTEGRATION_STEP}`,
      });
    }
  });

  it("recognises a check run from the Buildkite app by its link, and nothing without one", () => {
    expect(resolve(`${BUILD}/steps/canvas?sid=${INTEGRATION_STEP}`, { appSlug: "buildkite" })?.ids).toMatchObject({ step: INTEGRATION_STEP });
    expect(resolve(null, { appSlug: "buildkite", context: "buildkite/widgets-ci" })).toBeNull();
  });

  it.each([
    ["userinfo naming the real host", "https://buildkite.com@evil.example/acme/widgets-ci/builds/1482"],
    ["userinfo on the real host", "https://user:pass@buildkite.com/acme/widgets-ci/builds/1482"],
    ["a backslash before @", "https://evil.example\\@buildkite.com/acme/widgets-ci/builds/1482"],
    ["a trailing dot", "https://buildkite.com./acme/widgets-ci/builds/1482"],
    ["a suffix host", "https://buildkite.com.evil.example/acme/widgets-ci/builds/1482"],
    ["a look-alike subdomain", "https://www.buildkite.com/acme/widgets-ci/builds/1482"],
    ["the API host", "https://api.buildkite.com/acme/widgets-ci/builds/1482"],
    ["a Cyrillic homoglyph", "https://buildkіte.com/acme/widgets-ci/builds/1482"],
    ["its punycode", "https://xn--buildkte-j7g.com/acme/widgets-ci/builds/1482"],
    ["a port", "https://buildkite.com:8443/acme/widgets-ci/builds/1482"],
    ["plain http", "http://buildkite.com/acme/widgets-ci/builds/1482"],
    ["an encoded slash", "https://buildkite.com/acme%2Fwidgets-ci/builds/1482"],
    ["an encoded dot segment", "https://buildkite.com/acme/%2e%2e/widgets-ci/builds/1482"],
    ["a dot segment", "https://buildkite.com/acme/../acme/widgets-ci/builds/1482"],
    ["an overlong build number", "https://buildkite.com/acme/widgets-ci/builds/1234567890123"],
    ["build number zero", "https://buildkite.com/acme/widgets-ci/builds/0"],
    ["a leading zero", "https://buildkite.com/acme/widgets-ci/builds/01482"],
    ["a negative number", "https://buildkite.com/acme/widgets-ci/builds/-1"],
    ["an anchor that is not a job", "https://buildkite.com/acme/widgets-ci/builds/1482#annotations"],
    ["a jid that is not a uuid", "https://buildkite.com/acme/widgets-ci/builds/1482?jid=../../user"],
    ["two jids", `${BUILD}?jid=${JOBS.rspec1}&jid=${JOBS.rspec2}`],
    ["a jid and another anchored job", `${BUILD}?jid=${JOBS.rspec1}#${JOBS.rspec2}`],
    ["a job and a step", `${BUILD}?jid=${JOBS.rspec1}&sid=${INTEGRATION_STEP}`],
    ["another page of the build", "https://buildkite.com/acme/widgets-ci/builds/1482/annotations"],
    ["a raw log page", `https://buildkite.com/organizations/acme/pipelines/widgets-ci/builds/1482/jobs/${JOBS.rspec1}/raw_log`],
    ["a pipeline page", "https://buildkite.com/acme/widgets-ci"],
    ["a slug with a space", "https://buildkite.com/acme/widgets ci/builds/1482"],
    ["a javascript: URL", "javascript:alert(1)//buildkite.com/acme/widgets-ci/builds/1482"],
    ["an empty string", ""],
  ])("refuses %s", (_why, url) => {
    expect(resolve(url)).toBeNull();
  });
});
