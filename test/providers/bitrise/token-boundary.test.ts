import nock from "nock";
import { describe, expect, it } from "vitest";
import { ProviderResponseInvalid } from "../../../src/errors.ts";
import { bitrise } from "../../../src/providers/bitrise/index.ts";
import type { BuildRef } from "../../../src/providers/types.ts";
import type { BitriseRef } from "../../../src/providers/bitrise/schema.ts";
import { failureEventFrom, fetchContext, recordRequests, requestsCarrying } from "../support.ts";
import { APP, BITRISE_API, BITRISE_STORAGE, BITRISE_TOKEN, BUILD, bitriseApi, nockApp, nockArchivedLog, nockBuild } from "./nock.ts";
import { readLog } from "../read-log.ts";

const event = failureEventFrom("status", "providers/bitrise/webhook-status.json");

describe("where the Bitrise token goes", () => {
  it("to the API origin only; the presigned log URL is fetched with no credentials", async () => {
    const scopes = [nockApp(), nockBuild(), ...nockArchivedLog()];
    const recorder = recordRequests(...scopes);
    const ctx = fetchContext(event, BITRISE_TOKEN);
    const [job] = await bitrise.failedJobs(bitrise.resolve(event, ctx.settings) as BuildRef<BitriseRef>, ctx);
    await readLog(bitrise.openLog(job!, ctx));
    recorder.stop();

    expect(recorder.seen.map((request) => `${request.origin}${request.path}`)).toEqual([
      `${BITRISE_API}/v0.1/apps/${APP}`,
      `${BITRISE_API}/v0.1/apps/${APP}/builds/${BUILD}`,
      `${BITRISE_API}/v0.1/apps/${APP}/builds/${BUILD}/log`,
      `${BITRISE_STORAGE}/bitrise-build-log-archives-production/build-logs-v2/${APP}/${BUILD}/312/${BUILD}.log`,
    ]);
    expect(new Set(requestsCarrying(recorder.seen, BITRISE_TOKEN).map((request) => request.origin))).toEqual(new Set([BITRISE_API]));
    const storage = recorder.seen.find((request) => request.origin === BITRISE_STORAGE);
    expect(storage?.headers.authorization).toBeUndefined();
  });

  it("does not follow a redirect from the API", async () => {
    const api = bitriseApi().get(`/v0.1/apps/${APP}/builds/${BUILD}/log`).reply(301, "", { location: "https://collector.evil.example/log" });
    const elsewhere = nock("https://collector.evil.example").get("/log").reply(200, "{}");
    const recorder = recordRequests(api, elsewhere);
    const job = { id: BUILD, name: "primary", webUrl: "", status: "error", log: { app: APP, build: BUILD } };
    await expect(readLog(bitrise.openLog(job, fetchContext(event, BITRISE_TOKEN)))).rejects.toThrow(ProviderResponseInvalid);
    recorder.stop();
    expect(recorder.seen.map((request) => request.origin)).toEqual([BITRISE_API]);
  });
});
