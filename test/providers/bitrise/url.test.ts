import { describe, expect, it } from "vitest";
import { bitrise } from "../../../src/providers/bitrise/index.ts";
import { failureEventFrom, providerSettings } from "../support.ts";
import { APP, BUILD, PIPELINE } from "./nock.ts";

const settings = providerSettings();
const resolve = (url: string | null, context?: string) => bitrise.resolve({ url, context: context ?? null }, settings);

describe("Bitrise link recognition", () => {
  it("reads the build from a status link and a hint of its app from the default status context", () => {
    const event = failureEventFrom("status", "providers/bitrise/webhook-status.json");
    expect(bitrise.resolve(event, settings)).toEqual({
      provider: "bitrise",
      ids: { kind: "build", build: BUILD, appHint: APP },
      key: `bitrise:build:${BUILD}`,
    });
  });

  it("reads a build link without an app when the context was customised", () => {
    expect(resolve(`https://app.bitrise.io/build/${BUILD}#?tab=log`, "iOS tests")?.ids).toEqual({ kind: "build", build: BUILD });
  });

  it("reads app and build from the newer link, with the same key as the short one", () => {
    const long = resolve(`https://app.bitrise.io/app/${APP}/build/${BUILD}`);
    expect(long?.ids).toEqual({ kind: "build", build: BUILD, app: APP });
    expect(long?.key).toBe(resolve(`https://app.bitrise.io/build/${BUILD}`)?.key);
  });

  it("accepts uuid slugs, in any letter case", () => {
    const uuid = "8eb495d0-f653-4eed-910b-8d6b56cc0ec7";
    expect(resolve(`https://app.bitrise.io/build/${uuid.toUpperCase()}`)?.ids).toMatchObject({ build: uuid });
  });

  it("reads app and pipeline from a pipeline check run", () => {
    const event = failureEventFrom("check_run", "providers/bitrise/webhook-check-run-pipeline.json");
    expect(bitrise.resolve(event, settings)).toEqual({
      provider: "bitrise",
      ids: { kind: "pipeline", app: APP, pipeline: PIPELINE },
      key: `bitrise:pipeline:${PIPELINE}`,
    });
  });

  it("ignores an app slug in a context that is not Bitrise's default shape", () => {
    expect(resolve(`https://app.bitrise.io/build/${BUILD}`, `ci/bitrise/${APP}/pr/extra`)?.ids).toEqual({ kind: "build", build: BUILD });
    expect(resolve(`https://app.bitrise.io/build/${BUILD}`, `ci/bitrise/../pr`)?.ids).toEqual({ kind: "build", build: BUILD });
  });

  it.each([
    ["userinfo naming the real host", `https://app.bitrise.io@evil.example/build/${BUILD}`],
    ["a backslash before @", `https://evil.example\\@app.bitrise.io/build/${BUILD}`],
    ["a trailing dot", `https://app.bitrise.io./build/${BUILD}`],
    ["a suffix host", `https://app.bitrise.io.evil.example/build/${BUILD}`],
    ["the bare domain", `https://bitrise.io/build/${BUILD}`],
    ["the API host", `https://api.bitrise.io/build/${BUILD}`],
    ["a homoglyph", `https://app.bitrіse.io/build/${BUILD}`],
    ["a port", `https://app.bitrise.io:8443/build/${BUILD}`],
    ["plain http", `http://app.bitrise.io/build/${BUILD}`],
    ["an encoded slash", `https://app.bitrise.io/app/${APP}%2Fbuild/${BUILD}`],
    ["a dot segment", `https://app.bitrise.io/app/${APP}/../build/${BUILD}`],
    ["a slug of the wrong length", "https://app.bitrise.io/build/f2b4a1c9d83e70561"],
    ["a slug that is not hex", "https://app.bitrise.io/build/f2b4a1c9d83e705z"],
    ["a pipeline id that is not a uuid", `https://app.bitrise.io/app/${APP}/pipelines/${BUILD}`],
    ["another app page", `https://app.bitrise.io/app/${APP}/settings`],
    ["a trailing page", `https://app.bitrise.io/build/${BUILD}/artifacts`],
    ["the app list", "https://app.bitrise.io/dashboard"],
  ])("refuses %s", (_why, url) => {
    expect(resolve(url)).toBeNull();
  });
});
