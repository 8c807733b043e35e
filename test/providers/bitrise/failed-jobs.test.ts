import { describe, expect, it } from "vitest";
import { BuildMismatch, NotFound } from "../../../src/errors.ts";
import { bitrise } from "../../../src/providers/bitrise/index.ts";
import type { BuildRef } from "../../../src/providers/types.ts";
import type { BitriseRef } from "../../../src/providers/bitrise/schema.ts";
import { fixtureJson } from "../../helpers/fixtures.ts";
import { failureEventFrom, fetchContext, onAnotherCommit, onAnotherRepository, providerSettings } from "../support.ts";
import { APP, BITRISE_TOKEN, BUILD, PIPELINE, bitriseApi, nockApp, nockBuild } from "./nock.ts";

const settings = providerSettings();
const statusEvent = failureEventFrom("status", "providers/bitrise/webhook-status.json");
const pipelineEvent = failureEventFrom("check_run", "providers/bitrise/webhook-check-run-pipeline.json");
const refOf = (event: typeof statusEvent) => bitrise.resolve(event, settings) as BuildRef<BitriseRef>;

describe("Bitrise failed builds", () => {
  it("returns the failed build as the one job, with its workflow name and a link", async () => {
    const scopes = [nockApp(), nockBuild()];
    const jobs = await bitrise.failedJobs(refOf(statusEvent), fetchContext(statusEvent, BITRISE_TOKEN));
    expect(jobs).toEqual([
      {
        id: BUILD,
        name: "primary",
        webUrl: `https://app.bitrise.io/build/${BUILD}`,
        status: "error",
        log: { app: APP, build: BUILD },
      },
    ]);
    expect(scopes.every((scope) => scope.isDone())).toBe(true);
  });

  it("returns nothing for a build that passed", async () => {
    nockApp();
    nockBuild("build-succeeded.json");
    expect(await bitrise.failedJobs(refOf(statusEvent), fetchContext(statusEvent, BITRISE_TOKEN))).toEqual([]);
  });

  it("finds the app of a link without one among the apps of the event's repository", async () => {
    const ref = bitrise.resolve({ url: `https://app.bitrise.io/build/${BUILD}`, context: "Bitrise: iOS" }, settings) as BuildRef<BitriseRef>;
    const scopes = [
      bitriseApi().get("/v0.1/apps").query({ limit: "50" }).reply(200, fixtureJson("providers/bitrise/apps-page.json")),
      nockBuild(),
    ];
    const jobs = await bitrise.failedJobs(ref, fetchContext(statusEvent, BITRISE_TOKEN));
    expect(jobs.map((job) => job.log)).toEqual([{ app: APP, build: BUILD }]);
    // The other app of the listing (acme/gadgets) is never asked: nock would refuse that request.
    expect(scopes.every((scope) => scope.isDone())).toBe(true);
  });

  it("falls back to the repository's apps when the app in the status context does not have the build", async () => {
    const stale = "0123456789abcdef";
    const ref = bitrise.resolve({ url: `https://app.bitrise.io/build/${BUILD}`, context: `ci/bitrise/${stale}/pr` }, settings) as BuildRef<BitriseRef>;
    const scopes = [
      bitriseApi().get(`/v0.1/apps/${stale}`).reply(404, { message: "Not Found" }),
      bitriseApi().get("/v0.1/apps").query({ limit: "50" }).reply(200, fixtureJson("providers/bitrise/apps-page.json")),
      nockBuild(),
    ];
    const jobs = await bitrise.failedJobs(ref, fetchContext(statusEvent, BITRISE_TOKEN));
    expect(jobs.map((job) => job.id)).toEqual([BUILD]);
    expect(scopes.every((scope) => scope.isDone())).toBe(true);
  });

  it("says which repository had no visible app when the token sees none of it", async () => {
    const ref = bitrise.resolve({ url: `https://app.bitrise.io/build/${BUILD}` }, settings) as BuildRef<BitriseRef>;
    bitriseApi().get("/v0.1/apps").query({ limit: "50" }).reply(200, fixtureJson("providers/bitrise/apps-empty.json"));
    await expect(bitrise.failedJobs(ref, fetchContext(statusEvent, BITRISE_TOKEN))).rejects.toThrow(NotFound);
  });

  it("refuses an app that builds another repository", async () => {
    const event = onAnotherRepository(statusEvent);
    nockApp();
    nockBuild();
    await expect(bitrise.failedJobs(refOf(event), fetchContext(event, BITRISE_TOKEN))).rejects.toThrow(
      "the Bitrise build f2b4a1c9d83e7056 builds github.com/acme/widgets, not acme/gadgets; its logs were not read",
    );
  });

  it("refuses a build of another commit", async () => {
    const event = onAnotherCommit(statusEvent);
    nockApp();
    nockBuild();
    await expect(bitrise.failedJobs(refOf(event), fetchContext(event, BITRISE_TOKEN))).rejects.toThrow(BuildMismatch);
  });

  it("lists the failed and aborted builds of a pipeline on the event's commit", async () => {
    nockApp();
    bitriseApi()
      .get(`/v0.1/apps/${APP}/builds`)
      .query({ is_pipeline_build: "true", limit: "50" })
      .reply(200, fixtureJson("providers/bitrise/builds-pipeline.json"));
    const jobs = await bitrise.failedJobs(refOf(pipelineEvent), fetchContext(pipelineEvent, BITRISE_TOKEN));
    expect(jobs.map((job) => [job.id, job.name, job.status])).toEqual([
      ["0d9e8f7a6b5c4d3e", "unit_tests", "error"],
      ["2b3c4d5e6f708192", "ui_tests", "aborted"],
    ]);
  });

  it("refuses a pipeline whose app builds another repository before listing its builds", async () => {
    const event = onAnotherRepository(pipelineEvent);
    nockApp();
    await expect(bitrise.failedJobs(refOf(event), fetchContext(event, BITRISE_TOKEN))).rejects.toThrow(BuildMismatch);
  });

  it("says so when the pipeline is not among the app's latest builds", async () => {
    nockApp();
    bitriseApi()
      .get(`/v0.1/apps/${APP}/builds`)
      .query(true)
      .reply(200, fixtureJson("providers/bitrise/builds-page.json"));
    await expect(bitrise.failedJobs(refOf(pipelineEvent), fetchContext(pipelineEvent, BITRISE_TOKEN))).rejects.toThrow(
      `pipeline ${PIPELINE} is not among the latest builds of the Bitrise app widgets-ios`,
    );
  });
});
