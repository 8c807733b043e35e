import nock from "nock";
import { describe, expect, it } from "vitest";
import { NotFound, ProviderUnavailable } from "../../../src/errors.ts";
import { buildkite } from "../../../src/providers/buildkite/index.ts";
import type { FailedJob } from "../../../src/providers/types.ts";
import { fixtureJson } from "../../helpers/fixtures.ts";
import { collect, failureEventFrom, fetchContext, providerSettings } from "../support.ts";
import { BUILDKITE_API, BUILDKITE_TOKEN, BUILD_PATH, JOBS, JOB_LOG, nockJobLog } from "./nock.ts";

const event = failureEventFrom("status", "providers/buildkite/webhook-status-job.json");
const LOG_PATH = `${BUILD_PATH}/jobs/${JOBS.rspec1}/log`;
const job: FailedJob = {
  id: JOBS.rspec1,
  name: ":rspec: RSpec (1/2)",
  webUrl: `https://buildkite.com/acme/widgets-ci/builds/1482#${JOBS.rspec1}`,
  status: "failed",
  log: { org: "acme", pipeline: "widgets-ci", number: "1482", job: JOBS.rspec1 },
};

describe("Buildkite job log", () => {
  it("streams the raw log line by line, Buildkite's timestamp markers and colours left for the normaliser", async () => {
    nockJobLog(JOBS.rspec1);
    const lines = await collect(buildkite.openLog(job, fetchContext(event, BUILDKITE_TOKEN)));
    expect(lines).toEqual(JOB_LOG.split("\n").slice(0, -1));
    // eslint-disable-next-line no-control-regex -- the raw Buildkite framing is what this test checks
    expect(lines[0]).toMatch(/^\u001b_bk;t=\d{13}\u0007~~~ Running global environment hook\r$/);
    expect(lines.some((line) => line.includes("rspec ./spec/checkout/totals_spec.rb:24"))).toBe(true);
  });

  it("reads only the tail of a log larger than the cap, with a suffix Range, and drops the cut first line", async () => {
    const maxLogBytes = 600;
    const size = Buffer.byteLength(JOB_LOG);
    const tail = Buffer.from(JOB_LOG).subarray(size - maxLogBytes);
    const scope = nock(BUILDKITE_API, { reqheaders: { authorization: `Bearer ${BUILDKITE_TOKEN}`, accept: "text/plain" } })
      .head(LOG_PATH)
      .reply(200, undefined, { "content-length": String(size), "accept-ranges": "bytes" })
      .get(LOG_PATH)
      .matchHeader("range", `bytes=-${maxLogBytes}`)
      .reply(206, tail, { "content-range": `bytes ${size - maxLogBytes}-${size - 1}/${size}`, "content-type": "text/plain" });

    const ctx = fetchContext(event, BUILDKITE_TOKEN, providerSettings({ maxLogBytes }));
    const lines = await collect(buildkite.openLog(job, ctx));

    const tailLines = tail.toString("utf8").split("\n").slice(1, -1);
    expect(lines).toEqual(tailLines);
    expect(lines.at(-1)).toContain("user command error: exit status 1");
    expect(lines.some((line) => line.includes("Preparing working directory"))).toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it("reports a log Buildkite no longer has as NotFound", async () => {
    nock(BUILDKITE_API).head(LOG_PATH).reply(404);
    await expect(collect(buildkite.openLog(job, fetchContext(event, BUILDKITE_TOKEN)))).rejects.toThrow(NotFound);
  });

  it("turns a rate limit into ProviderUnavailable with the wait from RateLimit-Reset", async () => {
    nock(BUILDKITE_API)
      .head(LOG_PATH)
      .reply(429, fixtureJson("providers/buildkite/rate-limited.json"), {
        "ratelimit-scope": "rest",
        "ratelimit-limit": "200",
        "ratelimit-remaining": "0",
        "ratelimit-reset": "42",
      });
    const error = await collect(buildkite.openLog(job, fetchContext(event, BUILDKITE_TOKEN))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect((error as ProviderUnavailable).retryAfterSeconds).toBe(42);
  });
});
