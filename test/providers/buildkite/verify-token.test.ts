import nock from "nock";
import { describe, expect, it } from "vitest";
import { ProviderUnavailable } from "../../../src/errors.ts";
import { buildkite } from "../../../src/providers/buildkite/index.ts";
import { CiHttp } from "../../../src/providers/http.ts";
import type { TokenCheck } from "../../../src/providers/types.ts";
import { fixtureJson } from "../../helpers/fixtures.ts";
import { closedOrigin, providerSettings } from "../support.ts";
import { BUILDKITE_API, BUILDKITE_TOKEN } from "./nock.ts";

const settings = providerSettings();

function nockAccessToken(status: number, body: unknown): nock.Scope {
  return nock(BUILDKITE_API, { reqheaders: { authorization: `Bearer ${BUILDKITE_TOKEN}` } })
    .get("/v2/access-token")
    .reply(status, body as nock.Body);
}

async function verify(http = new CiHttp({ retryLimit: 0 })): Promise<TokenCheck> {
  return buildkite.verifyToken!(BUILDKITE_TOKEN, { http, settings });
}

describe("Buildkite token verification", () => {
  it("accepts a token with the nine read scopes and says whose it is", async () => {
    nockAccessToken(200, fixtureJson("providers/buildkite/access-token.json"));
    expect(await verify()).toEqual({
      ok: true,
      identity: "CI Integration (Acme)",
      scopes: [
        "read_teams",
        "read_artifacts",
        "read_builds",
        "read_job_env",
        "read_build_logs",
        "read_organizations",
        "read_pipelines",
        "read_user",
        "read_suites",
      ],
      warnings: [],
    });
  });

  it("refuses a token that lacks scopes and names each missing one", async () => {
    nockAccessToken(200, fixtureJson("providers/buildkite/access-token-missing-scopes.json"));
    const check = await verify();
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error).toBe(
      "Invalid Buildkite API token or insufficient permissions: the token is missing the scopes " +
        "read_teams, read_artifacts, read_job_env, read_build_logs, read_suites",
    );
    expect(check.hints.join(" ")).toContain("all 9 scopes");
  });

  it("refuses a token that grants any write scope, naming each one to remove", async () => {
    nockAccessToken(200, fixtureJson("providers/buildkite/access-token-write-scopes.json"));
    const check = await verify();
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error).toBe(
      "ci-mender only reads, and this Buildkite token grants more: remove write_artifacts, write_builds, write_pipelines " +
        "(or create a token with the nine read scopes only)",
    );
  });

  it("counts GraphQL access and every scope that is not a read as more than reading", async () => {
    const answer = fixtureJson("providers/buildkite/access-token.json");
    nockAccessToken(200, { ...answer, scopes: [...(answer.scopes as string[]), "retry_builds", "delete_packages", "graphql"] });
    const check = await verify();
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error).toContain("remove retry_builds, delete_packages, graphql");
  });

  it("says when an accepted token expires", async () => {
    const answer = fixtureJson("providers/buildkite/access-token.json");
    nockAccessToken(200, { ...answer, expires_at: "2025-12-31T23:59:59Z" });
    const check = await verify();
    expect(check).toMatchObject({ ok: true, warnings: [expect.stringContaining("expires at 2025-12-31T23:59:59Z")] });
  });

  it("answers a rejected token with the error and the hints /setup shows, never the token", async () => {
    nockAccessToken(401, fixtureJson("providers/buildkite/unauthorized.json"));
    const check = await verify();
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error).toBe("Invalid Buildkite API token or insufficient permissions");
    expect(check.hints.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(check)).not.toContain(BUILDKITE_TOKEN);
  });

  it("treats a 403 (token without access to the API) like a rejected token", async () => {
    nockAccessToken(403, { message: "Forbidden" });
    expect((await verify()).ok).toBe(false);
  });

  it("throws ProviderUnavailable when Buildkite does not answer within the budget, so nothing is saved", async () => {
    nock(BUILDKITE_API).get("/v2/access-token").delay(1_000).reply(200, fixtureJson("providers/buildkite/access-token.json"));
    const slow = verify(new CiHttp({ retryLimit: 0, timeoutMs: 150 }));
    await expect(slow).rejects.toThrow(ProviderUnavailable);
    await expect(slow).rejects.toThrow(/could not reach Buildkite/);
  });

  it("throws ProviderUnavailable when Buildkite cannot be reached", async () => {
    const unreachable = providerSettings({ apiOrigins: { ...settings.apiOrigins, buildkite: await closedOrigin() } });
    const check = buildkite.verifyToken!(BUILDKITE_TOKEN, { http: new CiHttp({ retryLimit: 0 }), settings: unreachable });
    await expect(check).rejects.toThrow(ProviderUnavailable);
    await expect(check).rejects.toThrow("could not reach Buildkite: the request failed (ECONNREFUSED)");
  });

  it("throws ProviderUnavailable when Buildkite fails", async () => {
    nock(BUILDKITE_API).get("/v2/access-token").reply(503, "upstream connect error");
    await expect(verify()).rejects.toThrow(ProviderUnavailable);
  });
});
