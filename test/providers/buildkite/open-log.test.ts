import { setTimeout } from "node:timers/promises";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { NotFound, ProviderUnavailable } from "../../../src/errors.ts";
import { buildkite } from "../../../src/providers/buildkite/index.ts";
import type { FailedJob } from "../../../src/providers/types.ts";
import type { BuildkiteLog } from "../../../src/providers/buildkite/schema.ts";
import { fixtureJson } from "../../helpers/fixtures.ts";
import { LoopbackServer } from "../../helpers/loopback-server.ts";
import { failureEventFrom, fetchContext, providerSettings } from "../support.ts";
import { BUILDKITE_API, BUILDKITE_TOKEN, BUILD_PATH, JOBS, JOB_LOG, nockJobLog } from "./nock.ts";
import { readLog, readLogLines } from "../read-log.ts";

const event = failureEventFrom("status", "providers/buildkite/webhook-status-job.json");
const LOG_PATH = `${BUILD_PATH}/jobs/${JOBS.rspec1}/log`;
const job: FailedJob<BuildkiteLog> = {
  id: JOBS.rspec1,
  name: ":rspec: RSpec (1/2)",
  webUrl: `https://buildkite.com/acme/widgets-ci/builds/1482#${JOBS.rspec1}`,
  status: "failed",
  log: { org: "acme", pipeline: "widgets-ci", number: "1482", job: JOBS.rspec1 },
};

describe("Buildkite job log", () => {
  it("streams the raw log line by line, Buildkite's timestamp markers and colours left for the normaliser", async () => {
    nockJobLog(JOBS.rspec1);
    const lines = await readLogLines(buildkite.openLog(job, fetchContext(event, BUILDKITE_TOKEN)));
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
    const lines = await readLogLines(buildkite.openLog(job, ctx));

    const tailLines = tail.toString("utf8").split("\n").slice(1, -1);
    expect(lines).toEqual(tailLines);
    expect(lines.at(-1)).toContain("user command error: exit status 1");
    expect(lines.some((line) => line.includes("Preparing working directory"))).toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it("drops a tail's cut first line even when the range starts mid-character and the line spans several chunks", async () => {
    const log = Buffer.from(JOB_LOG);
    // Two bytes into the four-byte 🚨 of the "Error: The command exited" line.
    const start = log.indexOf(Buffer.from("🚨")) + 2;
    const maxLogBytes = log.length - start;
    const tail = log.subarray(start);
    const ranges: Array<string | undefined> = [];
    // A real server, so that the tail reaches the client in the pieces it was written in.
    const server = new LoopbackServer(async (req, res) => {
      if (req.method === "HEAD") {
        res.writeHead(200, { "content-length": String(log.length), "accept-ranges": "bytes" }).end();
        return;
      }
      ranges.push(req.headers.range);
      res.writeHead(206, { "content-range": `bytes ${start}-${log.length - 1}/${log.length}`, "content-type": "text/plain" });
      for (const piece of [tail.subarray(0, 2), tail.subarray(2, 20), tail.subarray(20)]) {
        res.write(piece);
        await setTimeout(20);
      }
      res.end();
    });
    const port = await server.listen();
    try {
      const apiOrigins = { ...providerSettings().apiOrigins, buildkite: new URL(`http://127.0.0.1:${port}`) };
      const ctx = fetchContext(event, BUILDKITE_TOKEN, providerSettings({ apiOrigins, maxLogBytes }));
      const text = await readLog(buildkite.openLog(job, ctx));

      expect(ranges).toEqual([`bytes=-${maxLogBytes}`]);
      expect(text).toBe(tail.subarray(tail.indexOf("\n") + 1).toString("utf8"));
      expect(text).not.toContain("\ufffd");
      expect(text).toMatch(/user command error: exit status 1\r\n$/);
    } finally {
      await server.close();
    }
  });

  it("reports a log Buildkite no longer has as NotFound", async () => {
    nock(BUILDKITE_API).head(LOG_PATH).reply(404);
    await expect(readLog(buildkite.openLog(job, fetchContext(event, BUILDKITE_TOKEN)))).rejects.toThrow(NotFound);
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
    const error = await readLog(buildkite.openLog(job, fetchContext(event, BUILDKITE_TOKEN))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect((error as ProviderUnavailable).retryAfterSeconds).toBe(42);
  });
});
