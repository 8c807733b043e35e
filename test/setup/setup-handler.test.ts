import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreUnavailable } from "../../src/errors.ts";
import { providers as registry } from "../../src/providers/registry.ts";
import type { ProviderFacts, ProviderId } from "../../src/providers/types.ts";
import { MemoryTokenStore } from "../helpers/memory-token-store.ts";
import { ACME, CLIENT_SECRET, MEMBER, OUTSIDER, OWNER, SetupHarness, oauthSecrets, produced } from "./harness.ts";

const CIRCLE = "CCIPAT_Qw3rTy8UiOp2AsDfGh4JkL_4f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c";
const CIRCLE_NEXT = "CCIPAT_Zx9CvBn7MqWe5RtYu3IoPl_90aa8bb7cc6dd5ee4ff3a02b1c0d9e8f7a6b5c4d3";
const CIRCLE_WRONG = "CCIPAT_WrongWrongWrongWrongWr_0000000000000000000000000000000000000000";
const BUILDKITE = "bkua_0c7e4f1a9b2d3e5f60718293a4b5c6d7e8f90a1b";
const BUILDKITE_NARROW = "bkua_narrow00000000000000000000000000000000";
const BUILDKITE_WRITE = "bkua_writes00000000000000000000000000000000";
const SECRETS = [CIRCLE, CIRCLE_NEXT, CIRCLE_WRONG, BUILDKITE, BUILDKITE_NARROW, BUILDKITE_WRITE, CLIENT_SECRET];

const READ_SCOPES = ["read_teams", "read_artifacts", "read_builds", "read_job_env", "read_build_logs", "read_organizations", "read_pipelines", "read_user", "read_suites"];

let harness: SetupHarness;
let store: MemoryTokenStore;

async function start(options: ConstructorParameters<typeof SetupHarness>[0] = {}) {
  store = new MemoryTokenStore();
  harness = await new SetupHarness({ tokens: store, ...options }).start();
  harness.ci.circleci.set(CIRCLE, "circle-bot");
  harness.ci.circleci.set(CIRCLE_NEXT, "circle-bot");
  harness.ci.buildkite.set(BUILDKITE, READ_SCOPES);
  harness.ci.buildkite.set(BUILDKITE_NARROW, ["read_builds", "read_user"]);
  harness.ci.buildkite.set(BUILDKITE_WRITE, [...READ_SCOPES, "write_builds", "graphql"]);
}

afterEach(async () => {
  await harness.stop();
});

const connect = (token: string, provider = "circleci", account: number = ACME.id, action = "connect") => ({
  action,
  account: String(account),
  provider,
  token,
});

function card(body: string, account: number, provider: string): string {
  const start = body.indexOf(`id="card-${account}-${provider}"`);
  return start === -1 ? "" : body.slice(start, body.indexOf("</article>", start));
}

describe("/setup sign-in", () => {
  beforeEach(() => start());

  it("shows the sign-in page to a visitor and lets other paths fall through", async () => {
    const browser = harness.browser();
    const page = await browser.get("/setup");
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/setup/login"');
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect((await browser.get("/setup/nothing-here")).status).toBe(404);
    expect((await browser.get("/setupx")).status).toBe(404);
  });

  it("sends the browser to GitHub with PKCE S256, a strong state and the exact callback URL", async () => {
    const response = await fetch(`${harness.baseUrl}/setup/login`, { redirect: "manual" });
    const authorize = new URL(response.headers.get("location") ?? "");
    expect(authorize.origin).toBe(harness.githubOrigin);
    expect(authorize.pathname).toBe("/login/oauth/authorize");
    expect(authorize.searchParams.get("client_id")).toBe("Iv23liStandInClient");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${harness.baseUrl}/setup/callback`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = response.headers.getSetCookie().join("\n");
    expect(cookie).toMatch(/^__Host-ci-mender-login=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=600$/);
  });

  it("signs an org owner in and shows one card per provider for each account they administer", async () => {
    const browser = await harness.signedIn(OWNER.login);
    const page = await browser.get("/setup");
    expect(page.body).toContain(`Signed in as <strong>${OWNER.login}</strong>`);
    for (const provider of ["circleci", "buildkite", "bitrise"]) {
      expect(card(page.body, ACME.id, provider)).toContain("Not connected");
      expect(card(page.body, OWNER.id, provider)).toContain("Not connected");
    }
    expect(card(page.body, ACME.id, "circleci")).toContain('href="https://app.circleci.com/settings/user/tokens"');
    expect(card(page.body, ACME.id, "circleci")).toContain("service account");
    const session = browser.cookies.get(harness.baseUrl)?.get("__Host-ci-mender-session");
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookies.get(harness.baseUrl)?.has("__Host-ci-mender-login")).toBe(false);
  });

  it("tells a member who is not an owner what they need, and shows no form", async () => {
    const browser = await harness.signedIn(MEMBER.login);
    const page = await browser.get("/setup");
    expect(page.body).toContain("You need to be an owner of acme to connect CI providers for it.");
    expect(page.body).not.toContain(`card-${ACME.id}-`);
    expect(page.body).not.toContain('name="token"');
  });

  it("explains a 403 on the membership check instead of calling it a refusal", async () => {
    harness.github.memberships.set(`acme/${OWNER.login}`, "forbidden");
    const browser = await harness.signedIn(OWNER.login);
    expect((await browser.get("/setup")).body).toContain("The app needs the organisation permission “Members: read”");
  });

  it("refuses a callback whose state was never issued", async () => {
    const page = await harness.browser().get("/setup/callback?code=abc&state=forged-state");
    expect(page.status).toBe(400);
    expect(page.body).toContain("This sign-in link is not valid");
  });

  it("refuses a callback in another browser than the one that started the sign-in", async () => {
    harness.github.signInAs(OWNER.login);
    const start = await fetch(`${harness.baseUrl}/setup/login`, { redirect: "manual" });
    const atGitHub = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
    const callback = atGitHub.headers.get("location") ?? "";
    expect(callback).toContain("/setup/callback?code=");

    const page = await harness.browser().get(callback);
    expect(page.status).toBe(400);
    expect(page.headers.getSetCookie().join()).not.toContain("__Host-ci-mender-session=");
    expect(harness.github.issuedTokens()).toEqual([]);
  });

  it("accepts a state once only", async () => {
    const browser = harness.browser();
    harness.github.signInAs(OWNER.login);
    const start = await fetch(`${harness.baseUrl}/setup/login`, { redirect: "manual" });
    const nonce = /__Host-ci-mender-login=([^;]+)/.exec(start.headers.getSetCookie().join())?.[1] ?? "";
    const atGitHub = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
    const callback = atGitHub.headers.get("location") ?? "";
    browser.cookies.set(harness.baseUrl, new Map([["__Host-ci-mender-login", nonce]]));

    expect((await browser.get(callback)).body).toContain("Signed in as");
    browser.cookies.set(harness.baseUrl, new Map([["__Host-ci-mender-login", nonce]]));
    const replay = await browser.get(callback);
    expect(replay.status).toBe(400);
    expect(replay.body).toContain("A sign-in link works once");
  });

  it("signs nobody in when the user cancels at GitHub, and burns the state", async () => {
    const browser = harness.browser();
    const start = await fetch(`${harness.baseUrl}/setup/login`, { redirect: "manual" });
    const nonce = /__Host-ci-mender-login=([^;]+)/.exec(start.headers.getSetCookie().join())?.[1] ?? "";
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    browser.cookies.set(harness.baseUrl, new Map([["__Host-ci-mender-login", nonce]]));
    const cancelled = await browser.get(`/setup/callback?error=access_denied&state=${state}`);
    expect(cancelled.status).toBe(403);
    expect(cancelled.body).toContain("GitHub did not sign you in");
    expect(browser.cookies.get(harness.baseUrl)?.size).toBe(0);
  });

  it("signs out, after which the old session cookie is worthless", async () => {
    const browser = await harness.signedIn(OWNER.login);
    const stolen = new Map(browser.cookies.get(harness.baseUrl));
    const csrf = browser.csrf;
    const out = await browser.post("/setup/logout", {});
    expect(out.body).toContain("Sign in with GitHub");

    const thief = harness.browser();
    thief.cookies.set(harness.baseUrl, stolen);
    const page = await thief.post("/setup/tokens", connect(CIRCLE), { csrf });
    expect(page.status).toBe(401);
    expect(store.writes).toEqual([]);
  });

  it("signs the user out when GitHub stops accepting their token", async () => {
    const browser = await harness.signedIn(OWNER.login);
    harness.github.revokeAll();
    const page = await browser.get("/setup");
    expect(page.body).toContain("GitHub no longer accepts your sign-in; sign in again");
    expect(page.body).toContain("Sign in with GitHub");
  });
});

describe("/setup token changes", () => {
  beforeEach(() => start());

  it("verifies a CircleCI token, stores it, shows only its last four characters and writes an audit line", async () => {
    const browser = await harness.signedIn(OWNER.login);
    const page = await browser.post("/setup/tokens", connect(CIRCLE));

    expect(page.url).toBe(`${harness.baseUrl}/setup#card-${ACME.id}-circleci`);
    const circle = card(page.body, ACME.id, "circleci");
    expect(circle).toContain("Connected");
    expect(circle).toContain(`ends in <code>${CIRCLE.slice(-4)}</code>`);
    expect(circle).toContain("It acts as circle-bot.");
    expect((await store.get(ACME.id, "circleci"))?.token).toBe(CIRCLE);
    expect(harness.ci.seen).toEqual([{ path: "/api/v2/me", token: CIRCLE }]);

    const audit = harness.logs.map((line) => JSON.parse(line)).find((entry) => entry.audit);
    expect(audit.audit).toMatchObject({ action: "connect", actor: OWNER.login, actorId: OWNER.id, accountId: ACME.id, account: "acme", provider: "circleci" });
    expect(Date.parse(audit.audit.at)).not.toBeNaN();
  });

  it("stores nothing when CircleCI refuses the token, and says what to check", async () => {
    const browser = await harness.signedIn(OWNER.login);
    const page = await browser.post("/setup/tokens", connect(CIRCLE_WRONG));
    const circle = card(page.body, ACME.id, "circleci");
    expect(circle).toContain("Invalid CircleCI API token");
    expect(circle).toContain("not a Project API Token");
    expect(circle).toContain("Nothing was saved.");
    expect(circle).toContain("Not connected");
    expect(store.writes).toEqual([]);
  });

  it("gives up on a slow provider within the budget and saves nothing", async () => {
    await harness.stop();
    await start({ verifyTimeoutMs: 300 });
    harness.ci.delayMs = 2_000;
    const browser = await harness.signedIn(OWNER.login);
    const begun = Date.now();
    const page = await browser.post("/setup/tokens", connect(CIRCLE));
    expect(Date.now() - begun).toBeLessThan(1_500);
    expect(card(page.body, ACME.id, "circleci")).toContain("Could not reach CircleCI; nothing was saved, try again.");
    expect(store.writes).toEqual([]);
  });

  it("saves nothing while the provider is down", async () => {
    harness.ci.outage = 503;
    const browser = await harness.signedIn(OWNER.login);
    const page = await browser.post("/setup/tokens", connect(CIRCLE));
    expect(card(page.body, ACME.id, "circleci")).toContain("Could not reach CircleCI; nothing was saved, try again.");
    expect(store.writes).toEqual([]);
  });

  it("rotates, verifies again, marks a revoked token failing, and disconnects", async () => {
    const browser = await harness.signedIn(OWNER.login);
    await browser.post("/setup/tokens", connect(CIRCLE));
    const created = (await store.get(ACME.id, "circleci"))?.metadata.createdAt;

    let page = await browser.post("/setup/tokens", connect(CIRCLE_NEXT, "circleci", ACME.id, "rotate"));
    expect(card(page.body, ACME.id, "circleci")).toContain("CircleCI token replaced (token ending");
    expect((await store.get(ACME.id, "circleci"))?.token).toBe(CIRCLE_NEXT);
    expect((await store.get(ACME.id, "circleci"))?.metadata.createdAt).toBe(created);

    page = await browser.post("/setup/tokens", { action: "verify", account: String(ACME.id), provider: "circleci" });
    expect(card(page.body, ACME.id, "circleci")).toContain("CircleCI accepted the stored token.");

    harness.ci.circleci.delete(CIRCLE_NEXT);
    page = await browser.post("/setup/tokens", { action: "verify", account: String(ACME.id), provider: "circleci" });
    const failing = card(page.body, ACME.id, "circleci");
    expect(failing).toContain("Failing");
    expect(failing).toContain("<dt>Last error</dt><dd>Invalid CircleCI API token</dd>");

    page = await browser.post("/setup/tokens", { action: "disconnect", account: String(ACME.id), provider: "circleci" });
    expect(card(page.body, ACME.id, "circleci")).toContain("Not connected");
    expect(await store.get(ACME.id, "circleci")).toBeNull();

    const actions = harness.logs.map((line) => JSON.parse(line)).filter((entry) => entry.audit).map((entry) => entry.audit.action);
    expect(actions).toEqual(["connect", "rotate", "verify", "verify", "disconnect"]);
    const verifications = harness.logs.map((line) => JSON.parse(line)).filter((entry) => entry.audit?.action === "verify");
    expect(verifications.map((entry) => entry.audit.result)).toEqual(["passed", "failed"]);
  });

  it("names the Buildkite scopes a token lacks, and refuses one that grants more than reading, storing neither", async () => {
    const browser = await harness.signedIn(OWNER.login);
    let page = await browser.post("/setup/tokens", connect(BUILDKITE_NARROW, "buildkite"));
    expect(card(page.body, ACME.id, "buildkite")).toContain("missing the scopes read_teams, read_artifacts, read_job_env, read_build_logs");

    page = await browser.post("/setup/tokens", connect(BUILDKITE_WRITE, "buildkite"));
    const refused = card(page.body, ACME.id, "buildkite");
    expect(refused).toContain("Not connected");
    expect(refused).toContain("remove write_builds, graphql");
    expect(store.writes).toEqual([]);

    page = await browser.post("/setup/tokens", connect(BUILDKITE, "buildkite"));
    expect(card(page.body, ACME.id, "buildkite")).toContain("Connected");
    expect((await store.get(ACME.id, "buildkite"))?.metadata.scopes).toContain("read_build_logs");
  });

  it("connects the owner's personal account under its own id", async () => {
    const browser = await harness.signedIn(OWNER.login);
    await browser.post("/setup/tokens", connect(CIRCLE, "circleci", OWNER.id));
    expect((await store.get(OWNER.id, "circleci"))?.token).toBe(CIRCLE);
    expect(await store.get(ACME.id, "circleci")).toBeNull();
  });

  it("asks for the whole token when the field holds spaces or too little", async () => {
    const browser = await harness.signedIn(OWNER.login);
    const page = await browser.post("/setup/tokens", connect("abc def"));
    expect(card(page.body, ACME.id, "circleci")).toContain("Paste the whole CircleCI personal API token");
    expect(store.writes).toEqual([]);
  });
});

describe("/setup refusals write nothing", () => {
  beforeEach(() => start());

  it("refuses a member who is not an owner", async () => {
    const browser = await harness.signedIn(MEMBER.login);
    const page = await browser.post("/setup/tokens", connect(CIRCLE));
    expect(page.status).toBe(403);
    expect(page.body).toContain("You need to be an owner of acme to connect CI providers for it. Nothing was changed.");
    expect(store.writes).toEqual([]);
    expect(harness.ci.seen).toEqual([]);
  });

  it("refuses an outsider who cannot see the installation", async () => {
    const browser = await harness.signedIn(OUTSIDER.login);
    const page = await browser.post("/setup/tokens", connect(CIRCLE));
    expect(page.status).toBe(403);
    expect(page.body).toContain("ci-mender is not installed on that account, or you cannot see its installation.");
    expect(store.writes).toEqual([]);
  });

  it("refuses an owner's change to someone else's personal account", async () => {
    const browser = await harness.signedIn(MEMBER.login);
    harness.github.installations.set(MEMBER.login, [{ id: 901, account: { ...OWNER, type: "User" } }]);
    const page = await browser.post("/setup/tokens", connect(CIRCLE, "circleci", OWNER.id));
    expect(page.status).toBe(403);
    expect(page.body).toContain("Only octo-owner can manage their personal account.");
    expect(store.writes).toEqual([]);
  });

  it("checks ownership again on every change, not only at sign-in", async () => {
    const browser = await harness.signedIn(OWNER.login);
    await browser.post("/setup/tokens", connect(CIRCLE));
    harness.github.memberships.set(`acme/${OWNER.login}`, { role: "member", state: "active" });
    store.writes.length = 0;

    const page = await browser.post("/setup/tokens", { action: "disconnect", account: String(ACME.id), provider: "circleci" });
    expect(page.status).toBe(403);
    expect(store.writes).toEqual([]);
    expect((await store.get(ACME.id, "circleci"))?.token).toBe(CIRCLE);
  });

  it("refuses a form without the CSRF token, or with another session's", async () => {
    const browser = await harness.signedIn(OWNER.login);
    const other = await harness.signedIn(OWNER.login);
    expect((await browser.post("/setup/tokens", connect(CIRCLE), { csrf: null })).status).toBe(403);
    const page = await browser.post("/setup/tokens", connect(CIRCLE), { csrf: other.csrf });
    expect(page.status).toBe(403);
    expect(page.body).toContain("This form is out of date or did not come from the setup page");
    expect(store.writes).toEqual([]);
  });

  it("refuses a form posted from another origin, or with no Origin at all", async () => {
    const browser = await harness.signedIn(OWNER.login);
    const foreign = await browser.post("/setup/tokens", connect(CIRCLE), { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain(`This form was not sent from ${harness.baseUrl}`);
    expect((await browser.post("/setup/tokens", connect(CIRCLE), { origin: null })).status).toBe(403);
    expect((await browser.post("/setup/tokens", connect(CIRCLE), { origin: "null" })).status).toBe(403);
    expect(store.writes).toEqual([]);
    expect(harness.ci.seen).toEqual([]);
  });

  it("refuses oversized, non-form and altered posts", async () => {
    const browser = await harness.signedIn(OWNER.login);
    const huge = await browser.post("/setup/tokens", connect(CIRCLE), { raw: `token=${"a".repeat(20_000)}` });
    expect(huge.status).toBe(413);
    const json = await browser.post("/setup/tokens", {}, { contentType: "application/json", raw: JSON.stringify(connect(CIRCLE)) });
    expect(json.status).toBe(415);
    const altered = await browser.post("/setup/tokens", connect(CIRCLE, "jenkins"));
    expect(altered.status).toBe(400);
    const byLogin = await browser.post("/setup/tokens", { ...connect(CIRCLE), account: "acme" });
    expect(byLogin.status).toBe(400);
    const twice = await browser.post("/setup/tokens", {}, { raw: `${new URLSearchParams(connect(CIRCLE))}&account=${OWNER.id}&csrf=${browser.csrf}` });
    expect(twice.status).toBe(400);
    expect(store.writes).toEqual([]);
  });

  it("limits how many changes a session can post in a minute", async () => {
    const browser = await harness.signedIn(OWNER.login);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      statuses.push((await browser.post("/setup/tokens", { action: "verify", account: String(ACME.id), provider: "circleci" })).status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it("answers 405 to other methods on its paths", async () => {
    const response = await fetch(`${harness.baseUrl}/setup/tokens`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("/setup when something is missing", () => {
  it("shows what to configure when the OAuth client is not set", async () => {
    await start({ env: { GITHUB_CLIENT_SECRET: "" } });
    const page = await harness.browser().get("/setup");
    expect(page.status).toBe(503);
    expect(page.body).toContain("set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET");
  });

  it("says a provider is not available in this build when the registry lacks it", async () => {
    const partial = new Map<ProviderId, ProviderFacts>([...registry].filter(([id]) => id !== "bitrise"));
    await start({ providers: partial });
    const browser = await harness.signedIn(OWNER.login);
    const page = await browser.get("/setup");
    expect(card(page.body, ACME.id, "bitrise")).toContain("cannot check Bitrise tokens yet");
    expect(card(page.body, ACME.id, "bitrise")).not.toContain('name="token"');
    const posted = await browser.post("/setup/tokens", connect("bitwat_0123456789abcdef", "bitrise"));
    expect(card(posted.body, ACME.id, "bitrise")).toContain("cannot check Bitrise tokens yet. Nothing was saved.");
    expect(store.writes).toEqual([]);
  });

  it("reports an unavailable token store instead of showing accounts as not connected", async () => {
    await start();
    const browser = await harness.signedIn(OWNER.login);
    store.failing = new StoreUnavailable("the token store could not be reached; the job will be retried");
    const page = await browser.get("/setup");
    expect(page.status).toBe(503);
    expect(page.body).toContain("Token store unavailable");
    expect(page.body).not.toContain("Not connected");
  });
});

describe("everything /setup served or logged in this file", () => {
  it("holds no CI token, client secret, OAuth code or state, or GitHub user token", () => {
    const corpus = produced.join("\n");
    expect(corpus.length).toBeGreaterThan(100_000);
    expect(oauthSecrets.length).toBeGreaterThan(30);
    for (const secret of [...SECRETS, ...oauthSecrets]) expect(corpus).not.toContain(secret);
  });
});
