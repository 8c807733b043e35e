import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { circleci } from "../../../src/providers/circleci/index.ts";

const settings = loadConfig({}).providers;
const resolve = (url: string | null, extra: Record<string, string | null> = {}) => circleci.resolve({ url, ...extra }, settings);

const WF = "5d0c9a5e-0b1c-4a6f-9a0e-2f7d8c1b3e4a";

describe("CircleCI links as CircleCI posts them", () => {
  it.each([
    ["legacy status link with utm parameters", "https://circleci.com/gh/acme/widgets/1042?utm_campaign=vcs-integration-link&utm_medium=referral&utm_source=github-build-link", { kind: "job", slug: "github/acme/widgets", job: "1042" }],
    ["legacy Bitbucket link", "https://circleci.com/bb/acme/widgets/7", { kind: "job", slug: "bitbucket/acme/widgets", job: "7" }],
    ["pipeline workflow page", `https://app.circleci.com/pipelines/github/acme/widgets/733/workflows/${WF}`, { kind: "workflow", workflow: WF }],
    ["pipeline job page", `https://app.circleci.com/pipelines/gh/acme/widgets/733/workflows/${WF}/jobs/1042`, { kind: "job", slug: "github/acme/widgets", job: "1042" }],
    ["job page tab", `https://app.circleci.com/pipelines/github/acme/widgets/733/workflows/${WF}/jobs/1042/tests`, { kind: "job", slug: "github/acme/widgets", job: "1042" }],
    ["GitHub App project slug", `https://app.circleci.com/pipelines/circleci/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/12/workflows/${WF}/jobs/88`, { kind: "job", slug: "circleci/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", job: "88" }],
    ["short workflow link", `https://app.circleci.com/workflow/${WF}?utm_source=github-build-link`, { kind: "workflow", workflow: WF }],
    ["jobs shortcut", "https://app.circleci.com/jobs/github/acme/widgets/1042", { kind: "job", slug: "github/acme/widgets", job: "1042" }],
    ["jobs shortcut to a parallel run", "https://app.circleci.com/jobs/github/acme/widgets/1042/parallel-runs/3", { kind: "job", slug: "github/acme/widgets", job: "1042" }],
    ["old 2.0 workflow page", `https://circleci.com/workflow-run/${WF}`, { kind: "workflow", workflow: WF }],
  ])("recognises the %s", (_name, url, ids) => {
    const ref = resolve(url);
    expect(ref?.provider).toBe("circleci");
    expect(ref?.ids).toEqual(ids);
  });

  it("reads the workflow id of a CircleCI Checks check run from external_id", () => {
    const ref = resolve("https://app.circleci.com/pipelines/github/acme/widgets", {
      appSlug: "circleci-checks",
      externalId: JSON.stringify({ "workflow-id": WF, "actor-id": "x" }),
    });
    expect(ref).toEqual({ provider: "circleci", ids: { kind: "workflow", workflow: WF }, key: `circleci:workflow:${WF}` });
  });

  it("gives the same key to every link of one job, so repeats are recognised", () => {
    const a = resolve("https://circleci.com/gh/acme/widgets/1042");
    const b = resolve("https://app.circleci.com/jobs/gh/acme/widgets/1042/artifacts");
    expect(a?.key).toBe(b?.key);
  });

  it("recognises the host of a CircleCI server install the operator configured", () => {
    const server = loadConfig({ CIRCLECI_API_URL: "https://circleci.internal.example" }).providers;
    expect(circleci.resolve({ url: "https://circleci.internal.example/gh/acme/widgets/5" }, server)?.ids).toMatchObject({ job: "5" });
    expect(circleci.resolve({ url: "https://circleci.internal.example/gh/acme/widgets/5" }, settings)).toBeNull();
  });

  it("matches an operator-configured origin on its exact scheme and port only", () => {
    const loopback = loadConfig({ CIRCLECI_API_URL: "http://127.0.0.1:8123" }).providers;
    const at = (url: string) => circleci.resolve({ url }, loopback);
    expect(at("http://127.0.0.1:8123/gh/acme/widgets/5")?.ids).toMatchObject({ job: "5" });
    expect(at("http://127.0.0.1:8124/gh/acme/widgets/5")).toBeNull();
    expect(at("https://127.0.0.1:8123/gh/acme/widgets/5")).toBeNull();
    expect(at("http://127.0.0.1/gh/acme/widgets/5")).toBeNull();
    expect(at("http://x@127.0.0.1:8123/gh/acme/widgets/5")).toBeNull();
  });
});

describe("anything that is not exactly a CircleCI link", () => {
  it.each([
    null,
    "",
    "not a url",
    "https://circleci.com@evil.example/gh/acme/widgets/1042",
    "https://evil.example\\@circleci.com/gh/acme/widgets/1042",
    "https://evil.example%5C@circleci.com/gh/acme/widgets/1042",
    "https://circleci.com./gh/acme/widgets/1042",
    "https://CIRCLECI.com./gh/acme/widgets/1042",
    "https://circleci.com:443/gh/acme/widgets/1042",
    "https://circleci.com:8443/gh/acme/widgets/1042",
    "http://circleci.com/gh/acme/widgets/1042",
    "ftp://circleci.com/gh/acme/widgets/1042",
    "https://circleci.com.evil.example/gh/acme/widgets/1042",
    "https://evilcircleci.com/gh/acme/widgets/1042",
    "https://xn--circlei-3jg.com/gh/acme/widgets/1042",
    "https://circleсi.com/gh/acme/widgets/1042",
    "https://circleci.com/gh/acme/widgets%2F..%2Fsecret/1042",
    "https://circleci.com/gh/acme/widgets/%31042",
    "https://circleci.com/gh/acme/widgets/../../api/v2/me",
    "https://circleci.com/gh/acme/./widgets/1042",
    "https://user:pass@circleci.com/gh/acme/widgets/1042",
    "https://circleci.com/gh/acme/widgets/1042abc",
    "https://circleci.com/gh/acme/widgets/0",
    "https://circleci.com/gh/acme/widgets/12345678901234567890",
    "https://circleci.com/gl/acme/widgets/1042",
    "https://circleci.com/gh/acme/widgets",
    "https://app.circleci.com/pipelines/github/acme/widgets/733/workflows/not-a-uuid",
    "https://app.circleci.com/pipelines/circleci/acme/widgets/733/workflows/5d0c9a5e-0b1c-4a6f-9a0e-2f7d8c1b3e4a",
    "https://app.circleci.com/workflow/5d0c9a5e-0b1c-4a6f-9a0e-2f7d8c1b3e4a/extra",
    "https://app.circleci.com/jobs/github/acme/widgets/1042/settings",
    "https://127.0.0.1/gh/acme/widgets/1042",
    "https://[::1]/gh/acme/widgets/1042",
    `https://circleci.com/gh/acme/widgets/1042${"a".repeat(3000)}`,
  ])("%s → not CircleCI", (url) => {
    expect(resolve(url)).toBeNull();
  });

  it("ignores a malformed or foreign external_id and falls back to the URL", () => {
    for (const externalId of ["{", '{"workflow-id":"../../me"}', '{"workflow-id":42}', "x".repeat(5000)]) {
      expect(resolve(null, { appSlug: "circleci-checks", externalId })).toBeNull();
    }
  });

  it("does not take external_id from check runs of other apps", () => {
    const externalId = JSON.stringify({ "workflow-id": WF });
    expect(resolve(null, { appSlug: "some-other-app", externalId })).toBeNull();
  });
});
