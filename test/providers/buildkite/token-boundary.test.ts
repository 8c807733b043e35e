import nock from "nock";
import { describe, expect, it } from "vitest";
import { ProviderResponseInvalid } from "../../../src/errors.ts";
import { buildkite } from "../../../src/providers/buildkite/index.ts";
import type { BuildRef } from "../../../src/providers/types.ts";
import type { BuildkiteRef } from "../../../src/providers/buildkite/schema.ts";
import { failureEventFrom, fetchContext, providerSettings, recordRequests, requestsCarrying } from "../support.ts";
import { BUILDKITE_API, BUILDKITE_TOKEN, BUILD_PATH, JOBS, nockBuild, nockJobLog } from "./nock.ts";
import { readLog } from "../read-log.ts";

const event = failureEventFrom("status", "providers/buildkite/webhook-status-job.json");

describe("where the Buildkite token goes", () => {
  it("only to the API origin, on every request of a whole fetch", async () => {
    const scopes = [nockBuild(), nockJobLog(JOBS.rspec1)];
    const recorder = recordRequests(...scopes);
    const ctx = fetchContext(event, BUILDKITE_TOKEN);
    const [job] = await buildkite.failedJobs(buildkite.resolve(event, ctx.settings) as BuildRef<BuildkiteRef>, ctx);
    await readLog(buildkite.openLog(job!, ctx));
    recorder.stop();

    expect(recorder.seen.map((request) => `${request.method} ${request.origin}${request.path}`)).toEqual([
      `GET ${BUILDKITE_API}${BUILD_PATH}`,
      `HEAD ${BUILDKITE_API}${BUILD_PATH}/jobs/${JOBS.rspec1}/log`,
      `GET ${BUILDKITE_API}${BUILD_PATH}/jobs/${JOBS.rspec1}/log`,
    ]);
    expect(recorder.seen.every((request) => request.headers.authorization === `Bearer ${BUILDKITE_TOKEN}`)).toBe(true);
    expect(new Set(requestsCarrying(recorder.seen, BUILDKITE_TOKEN).map((request) => request.origin))).toEqual(new Set([BUILDKITE_API]));
  });

  it("goes to the operator's BUILDKITE_API_URL instead of the public API when one is set", async () => {
    const internal = "https://buildkite-proxy.acme.internal";
    const settings = providerSettings({ apiOrigins: { ...providerSettings().apiOrigins, buildkite: new URL(internal) } });
    const scopes = [nockBuild(() => {}, internal), nockJobLog(JOBS.rspec1, undefined, internal)];
    const recorder = recordRequests(...scopes);
    const ctx = fetchContext(event, BUILDKITE_TOKEN, settings);
    const [job] = await buildkite.failedJobs(buildkite.resolve(event, settings) as BuildRef<BuildkiteRef>, ctx);
    await readLog(buildkite.openLog(job!, ctx));
    recorder.stop();
    expect(recorder.seen).toHaveLength(3);
    expect(new Set(recorder.seen.map((request) => request.origin))).toEqual(new Set([internal]));
  });

  it("does not follow a redirect from the API, so the token never reaches the Location's host", async () => {
    const logPath = `${BUILD_PATH}/jobs/${JOBS.rspec1}/log`;
    const api = nock(BUILDKITE_API)
      .head(logPath)
      .reply(200, undefined, { "content-length": "1000" })
      .get(logPath)
      .reply(302, "", { location: "https://collector.evil.example/steal" });
    const elsewhere = nock("https://collector.evil.example").get("/steal").reply(200, "gotcha");
    const recorder = recordRequests(api, elsewhere);
    const ctx = fetchContext(event, BUILDKITE_TOKEN);
    const job = { id: JOBS.rspec1, name: "RSpec", webUrl: "", status: "failed", log: { org: "acme", pipeline: "widgets-ci", number: "1482", job: JOBS.rspec1 } };

    await expect(readLog(buildkite.openLog(job, ctx))).rejects.toThrow(ProviderResponseInvalid);
    recorder.stop();
    expect(elsewhere.isDone()).toBe(false);
    expect(recorder.seen.map((request) => request.origin)).toEqual([BUILDKITE_API, BUILDKITE_API]);
  });
});
