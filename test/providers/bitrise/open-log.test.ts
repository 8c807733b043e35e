import { describe, expect, it } from "vitest";
import { LogTooLarge, UnsafeUrl } from "../../../src/errors.ts";
import { bitrise } from "../../../src/providers/bitrise/index.ts";
import type { FailedJob } from "../../../src/providers/types.ts";
import type { BitriseLog } from "../../../src/providers/bitrise/schema.ts";
import { fixtureJson } from "../../helpers/fixtures.ts";
import { failureEventFrom, fetchContext, providerSettings } from "../support.ts";
import { APP, BITRISE_TOKEN, BUILD, RAW_LOG, bitriseApi, nockArchivedLog } from "./nock.ts";
import { readLog, readLogLines } from "../read-log.ts";

const event = failureEventFrom("status", "providers/bitrise/webhook-status.json");
const job: FailedJob<BitriseLog> = { id: BUILD, name: "primary", webUrl: `https://app.bitrise.io/build/${BUILD}`, status: "error", log: { app: APP, build: BUILD } };
const LOG_PATH = `/v0.1/apps/${APP}/builds/${BUILD}/log`;

function nockLogAnswer(patch: (answer: Record<string, unknown>) => void, fixture = "build-log-archived.json"): void {
  const answer = fixtureJson(`providers/bitrise/${fixture}`);
  patch(answer);
  bitriseApi().get(LOG_PATH).reply(200, answer);
}

describe("Bitrise build log", () => {
  it("streams the archived log from its presigned URL", async () => {
    const scopes = nockArchivedLog();
    const lines = await readLogLines(bitrise.openLog(job, fetchContext(event, BITRISE_TOKEN)));
    expect(lines).toEqual(RAW_LOG.split("\n").slice(0, -1));
    expect(lines).toContain("** TEST FAILED **");
    expect(scopes.every((scope) => scope.isDone())).toBe(true);
  });

  it("falls back to the log chunks, in position order, while the log is not archived", async () => {
    bitriseApi().get(LOG_PATH).reply(200, fixtureJson("providers/bitrise/build-log-chunks.json"));
    const lines = await readLogLines(bitrise.openLog(job, fetchContext(event, BITRISE_TOKEN)));
    expect(lines[1]).toBe("| (1) Git Clone Repository                                                     |");
    expect(lines.indexOf("Testing failed:")).toBeGreaterThan(lines.findIndex((line) => line.includes("(2) Xcode Test")));
    expect(lines.slice(-2)).toEqual(["** TEST FAILED **", "\u001b[31;1mStep failed\u001b[0m"]);
  });

  it("stops the chunks at the byte cap", async () => {
    bitriseApi().get(LOG_PATH).reply(200, fixtureJson("providers/bitrise/build-log-chunks.json"));
    const ctx = fetchContext(event, BITRISE_TOKEN, providerSettings({ maxLogBytes: 200 }));
    await expect(readLog(bitrise.openLog(job, ctx))).rejects.toThrow(LogTooLarge);
  });

  it.each([
    ["another Google Cloud Storage bucket", "https://storage.googleapis.com/attacker-bucket/log.txt?X-Goog-Signature=1"],
    ["a host that is not a storage host", "https://collector.evil.example/bitrise-build-log-archives-production/x.log"],
    ["plain http", "http://storage.googleapis.com/bitrise-build-log-archives-production/x.log"],
    ["userinfo", "https://storage.googleapis.com@evil.example/bitrise-build-log-archives-production/x.log"],
  ])("refuses a raw log URL on %s without fetching it", async (_why, url) => {
    nockLogAnswer((answer) => (answer.expiring_raw_log_url = url));
    await expect(readLog(bitrise.openLog(job, fetchContext(event, BITRISE_TOKEN)))).rejects.toThrow(UnsafeUrl);
  });
});
