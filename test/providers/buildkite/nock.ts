import nock from "nock";
import { fixtureJson, fixtureText } from "../../helpers/fixtures.ts";

export const BUILDKITE_API = "https://api.buildkite.com";
export const BUILDKITE_TOKEN = "bkua_3f9c0a7e1d2b4c6e8f0a1b3c5d7e9f1a2b4c6d8e";
export const BUILD_PATH = "/v2/organizations/acme/pipelines/widgets-ci/builds/1482";

/** Job and step ids in fixtures/providers/buildkite/build-failed.json. */
export const JOBS = {
  rspec1: "0190f8a4-2a11-4c8e-8f6b-1d2e3f4a5b61",
  rspec2: "0190f8a4-2a11-4c8e-8f6b-1d2e3f4a5b62",
  lint: "0190f8a4-3b22-4d9f-a07c-2e3f4a5b6c73",
  smoke: "0190f8a4-4c33-4eaf-b18d-3f4a5b6c7d84",
  integration: "0190f8a4-5d44-4fb0-829e-4a5b6c7d8e95",
} as const;
export const INTEGRATION_STEP = "0190f8a3-eedd-4b2c-8d1e-2f3a4b5c6d72";

export const JOB_LOG = fixtureText("providers/buildkite/job-log.txt");

/** `GET …/builds/1482` for acme/widgets-ci (failed), with the bearer token required. */
export function nockBuild(patch: (build: Record<string, unknown>) => void = () => {}, api = BUILDKITE_API): nock.Scope {
  const build = fixtureJson("providers/buildkite/build-failed.json");
  patch(build);
  return nock(api, { reqheaders: { authorization: `Bearer ${BUILDKITE_TOKEN}` } }).get(BUILD_PATH).reply(200, build);
}

/** `HEAD` then `GET` of a job's raw log (`Accept: text/plain`). */
export function nockJobLog(job: string, body = JOB_LOG, api = BUILDKITE_API): nock.Scope {
  const path = `${BUILD_PATH}/jobs/${job}/log`;
  const headers = { "content-type": "text/plain; charset=utf-8", "accept-ranges": "bytes" };
  return nock(api, { reqheaders: { authorization: `Bearer ${BUILDKITE_TOKEN}`, accept: "text/plain" } })
    .head(path)
    .reply(200, undefined, { ...headers, "content-length": String(Buffer.byteLength(body)) })
    .get(path)
    .reply(200, body, headers);
}
