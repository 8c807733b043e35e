import nock from "nock";
import { fixtureJson, fixtureText } from "../../helpers/fixtures.ts";

export const BITRISE_API = "https://api.bitrise.io";
export const BITRISE_TOKEN = "bitwat_Yx7Qp2Lk9Vb4Nm8Rt3Wz6Hc1Jd5Fg0Sa2Ue7Io4Pq9Lm3Kn8Bv";
export const BITRISE_STORAGE = "https://storage.googleapis.com";
export const APP = "6c06d3a40422d10f";
export const BUILD = "f2b4a1c9d83e7056";
export const PIPELINE = "4e1c3a5b-7d9f-4b2a-8c6e-0f1a2b3c4d5e";
export const RAW_LOG = fixtureText("providers/bitrise/raw-log.txt");

/** The Bitrise API with the bare token as `Authorization`, as Bitrise documents it. */
export function bitriseApi(): nock.Scope {
  return nock(BITRISE_API, { reqheaders: { authorization: BITRISE_TOKEN } });
}

export function nockApp(patch: (app: Record<string, unknown>) => void = () => {}): nock.Scope {
  const answer = fixtureJson<{ data: Record<string, unknown> }>("providers/bitrise/app.json");
  patch(answer.data);
  return bitriseApi().get(`/v0.1/apps/${APP}`).reply(200, answer);
}

export function nockBuild(fixture = "build-failed.json"): nock.Scope {
  return bitriseApi().get(`/v0.1/apps/${APP}/builds/${BUILD}`).reply(200, fixtureJson(`providers/bitrise/${fixture}`));
}

/** The log endpoint answering with the archived log's presigned URL, and that URL answering with no credentials. */
export function nockArchivedLog(): nock.Scope[] {
  const answer = fixtureJson<{ expiring_raw_log_url: string }>("providers/bitrise/build-log-archived.json");
  const signed = new URL(answer.expiring_raw_log_url);
  return [
    bitriseApi().get(`/v0.1/apps/${APP}/builds/${BUILD}/log`).reply(200, answer),
    nock(BITRISE_STORAGE, { badheaders: ["authorization"] })
      .get(`${signed.pathname}${signed.search}`)
      .reply(200, RAW_LOG, { "content-type": "text/plain; charset=utf-8" }),
  ];
}
