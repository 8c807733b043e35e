import nock from "nock";
import { describe, expect, it } from "vitest";
import { ProviderUnavailable } from "../../../src/errors.ts";
import { bitrise } from "../../../src/providers/bitrise/index.ts";
import { CiHttp } from "../../../src/providers/http.ts";
import type { TokenCheck } from "../../../src/providers/types.ts";
import { fixtureJson } from "../../helpers/fixtures.ts";
import { closedOrigin, providerSettings } from "../support.ts";
import { BITRISE_API, BITRISE_TOKEN, BUILD } from "./nock.ts";

const settings = providerSettings();
/** The first app of fixtures/providers/bitrise/apps-page.json, where the role is probed. */
const FIRST_APP = "e7df06c4caa7ec76";
const BITRISE_YML = `format_version: "13"\ndefault_step_lib_source: https://github.com/bitrise-io/bitrise-steplib.git\n`;

function api(token = BITRISE_TOKEN): nock.Scope {
  return nock(BITRISE_API, { reqheaders: { authorization: token } });
}

function nockApps(token = BITRISE_TOKEN, fixture = "apps-page.json"): nock.Scope {
  return api(token).get("/v0.1/apps").query({ limit: "50" }).reply(200, fixtureJson(`providers/bitrise/${fixture}`));
}

function nockRoleProbe(ymlStatus: number, token = BITRISE_TOKEN): nock.Scope {
  return api(token)
    .get(`/v0.1/apps/${FIRST_APP}/builds`)
    .query({ limit: "1" })
    .reply(200, fixtureJson("providers/bitrise/builds-page.json"))
    .get(`/v0.1/apps/${FIRST_APP}/builds/${BUILD}/bitrise.yml`)
    .reply(ymlStatus, ymlStatus === 200 ? BITRISE_YML : fixtureJson("providers/bitrise/forbidden.json"));
}

async function verify(token = BITRISE_TOKEN, http = new CiHttp({ retryLimit: 0 }), at = settings): Promise<TokenCheck> {
  return bitrise.verifyToken!(token, { http, settings: at });
}

function refusal(check: TokenCheck): { error: string; hints: readonly string[] } {
  if (check.ok) throw new Error("expected the token to be refused");
  return check;
}

describe("Bitrise token verification", () => {
  it("accepts a workspace token that sees apps and has the Developer role", async () => {
    const scopes = [nockApps(), nockRoleProbe(200)];
    expect(await verify()).toEqual({ ok: true, identity: "Acme Mobile", scopes: null, warnings: [] });
    expect(scopes.every((scope) => scope.isDone())).toBe(true);
  });

  it("answers a rejected token with the seed's error and hints", async () => {
    api().get("/v0.1/apps").query(true).reply(401, fixtureJson("providers/bitrise/unauthorized.json"));
    const check = refusal(await verify());
    expect(check.error).toBe("Invalid Bitrise API token or insufficient permissions");
    expect(check.hints.some((hint) => hint.includes("Developer role"))).toBe(true);
    expect(check.hints.some((hint) => hint.includes("Workspace API token"))).toBe(true);
    expect(JSON.stringify(check)).not.toContain(BITRISE_TOKEN);
  });

  it("refuses a token that sees no app", async () => {
    nockApps(BITRISE_TOKEN, "apps-empty.json");
    expect(refusal(await verify()).error).toBe("Invalid Bitrise API token or insufficient permissions: the token has access to no app");
  });

  it("refuses a token below the Developer role, naming the app it was checked on", async () => {
    nockApps();
    nockRoleProbe(403);
    expect(refusal(await verify()).error).toBe(
      "Invalid Bitrise API token or insufficient permissions: the token cannot read the build logs of gadgets-android (that needs the Developer role)",
    );
  });

  it("accepts with a warning when the role cannot be checked because the app has no builds", async () => {
    nockApps();
    api().get(`/v0.1/apps/${FIRST_APP}/builds`).query({ limit: "1" }).reply(200, { data: [], paging: { total_item_count: 0 } });
    const check = await verify();
    expect(check).toMatchObject({ ok: true, warnings: [expect.stringContaining("gadgets-android has no builds yet")] });
  });

  it("warns that a personal access token leaves with its owner", async () => {
    const personal = "bitpat_Qm4Zr8Tn2Wx6Ky1Lp5Vc9Hb3Jd7Fs0Ga4Ue8Io2Pq6Lm1Kn5Bv";
    nockApps(personal);
    nockRoleProbe(200, personal);
    expect(await verify(personal)).toMatchObject({ ok: true, warnings: [expect.stringContaining("personal access token")] });
  });

  it("throws ProviderUnavailable when Bitrise cannot be reached or is too slow", async () => {
    const unreachable = providerSettings({ apiOrigins: { ...settings.apiOrigins, bitrise: await closedOrigin() } });
    await expect(verify(BITRISE_TOKEN, undefined, unreachable)).rejects.toThrow("could not reach Bitrise");

    api().get("/v0.1/apps").query(true).delay(1_000).reply(200, fixtureJson("providers/bitrise/apps-page.json"));
    await expect(verify(BITRISE_TOKEN, new CiHttp({ retryLimit: 0, timeoutMs: 150 }))).rejects.toThrow(ProviderUnavailable);
  });
});
