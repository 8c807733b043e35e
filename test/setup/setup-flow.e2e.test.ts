import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalTokenStore } from "../../src/secrets/local-token-store.ts";
import type { TokenStore } from "../../src/secrets/token-store.ts";
import { ACME, CLIENT_SECRET, MEMBER, OUTSIDER, OWNER, SetupHarness, oauthSecrets, produced } from "./harness.ts";

const CHROMIUM = "/usr/bin/chromium";
const CIRCLE = "CCIPAT_E2eFirstToken0000000000_1111111111111111111111111111111111111111";
const CIRCLE_NEXT = "CCIPAT_E2eSecondToken000000000_2222222222222222222222222222222222222222";
const BUILDKITE = "bkua_e2e3333333333333333333333333333333333333";
const SECRETS = [CIRCLE, CIRCLE_NEXT, BUILDKITE, CLIENT_SECRET];
const READ_SCOPES = ["read_teams", "read_artifacts", "read_builds", "read_job_env", "read_build_logs", "read_organizations", "read_pipelines", "read_user", "read_suites"];
// Screenshots for the README are rewritten only on request, so a test run leaves the work tree as it was.
const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS === "1" ? path.resolve("docs") : null;

/** The browser globals the page-side callbacks touch; the project compiles without the DOM library. */
interface PageElement {
  method: string;
  action: string;
  name: string;
  value: string;
  append(child: PageElement): void;
  submit(): void;
}
interface PageGlobals {
  document: {
    cookie: string;
    activeElement: unknown;
    documentElement: { scrollWidth: number };
    body: PageElement;
    createElement(tag: string): PageElement;
  };
  scrollTo(x: number, y: number): void;
}

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the /setup browser test: ${CHROMIUM} is absent (apt-get install chromium)`);

describe.skipIf(!hasChromium)("/setup in headless Chromium", () => {
  let harness: SetupHarness;
  let tokens: TokenStore;
  let dataDir: string;
  let evil: Server;
  let evilOrigin = "";
  const contexts: BrowserContext[] = [];
  const shots = mkdtempSync(path.join(tmpdir(), "setup-shots-"));

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "setup-e2e-"));
    tokens = createLocalTokenStore({ dataDir, encryptionKey: randomBytes(32).toString("base64") });
    harness = await new SetupHarness({ tokens }).start();
    harness.ci.circleci.set(CIRCLE, "circle-service");
    harness.ci.circleci.set(CIRCLE_NEXT, "circle-service");
    harness.ci.buildkite.set(BUILDKITE, READ_SCOPES);
    // Same site as the app (127.0.0.1) but another origin: Lax cookies go along, so only the Origin check stops it.
    evil = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><form id="f" method="post" action="${harness.baseUrl}/setup/tokens">
<input name="action" value="connect"><input name="account" value="${ACME.id}"><input name="provider" value="circleci">
<input name="token" value="${CIRCLE}"><input name="csrf" id="csrf"><button>go</button></form>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await harness?.stop();
    evil?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function browser(): Promise<{ context: BrowserContext; page: Page }> {
    const userDataDir = mkdtempSync(path.join(tmpdir(), "chromium-"));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 900 },
    });
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page };
  }

  async function keep(page: Page): Promise<string> {
    const html = await page.content();
    produced.push(html);
    return html;
  }

  async function signIn(login: string): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await browser();
    harness.github.signInAs(login);
    await opened.page.goto(`${harness.baseUrl}/setup`);
    await keep(opened.page);
    await opened.page.getByRole("link", { name: "Sign in with GitHub" }).click();
    await opened.page.waitForURL(`${harness.baseUrl}/setup`);
    await expect.poll(() => opened.page.getByText(`Signed in as ${login}`).count()).toBe(1);
    await keep(opened.page);
    return opened;
  }

  /** Submits a form the page itself does not offer, from the page (same origin, its cookies), as a tampering user would. */
  async function forgeForm(page: Page, fields: Record<string, string>): Promise<number> {
    const response = page.waitForResponse((r) => r.url().endsWith("/setup/tokens"));
    await page.evaluate((values) => {
      const { document } = globalThis as unknown as PageGlobals;
      const form = document.createElement("form");
      form.method = "post";
      form.action = "/setup/tokens";
      for (const [name, value] of Object.entries(values)) {
        const input = document.createElement("input");
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    }, fields);
    const status = (await response).status();
    await page.waitForURL(/\/setup\/tokens$/, { waitUntil: "load" });
    await keep(page);
    return status;
  }

  const card = (page: Page, account: number, provider: string) => page.locator(`#card-${account}-${provider}`);

  it("signs an owner in with Secure, HttpOnly, SameSite=Lax __Host- cookies the page's scripts cannot read", async () => {
    const { context, page } = await signIn(OWNER.login);
    const cookies = await context.cookies(harness.baseUrl);
    expect(cookies.map((c) => c.name)).toEqual(["__Host-ci-mender-session"]);
    expect(cookies[0]).toMatchObject({ path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie)).toBe("");
  });

  it("connects CircleCI, shows it connected, rotates and disconnects it", async () => {
    const { page } = await signIn(OWNER.login);
    const circle = card(page, ACME.id, "circleci");

    await circle.getByLabel("CircleCI personal API token").fill(CIRCLE);
    await circle.getByRole("button", { name: "Connect CircleCI" }).click();
    await expect.poll(() => circle.locator(".badge").textContent()).toBe("Connected");
    expect(await circle.textContent()).toContain(`ends in ${CIRCLE.slice(-4)}`);
    expect(await circle.getByRole("status").textContent()).toContain("CircleCI connected");
    expect((await tokens.get(ACME.id, "circleci"))?.token).toBe(CIRCLE);
    await keep(page);

    await page.screenshot({ path: path.join(shots, "setup-page.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, "setup-page-phone.png") });
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    await circle.getByText("Rotate token").click();
    await circle.getByLabel("New CircleCI personal API token").fill(CIRCLE_NEXT);
    await circle.getByRole("button", { name: "Replace token" }).click();
    await expect.poll(async () => (await card(page, ACME.id, "circleci").getByRole("status").textContent()) ?? "").toContain("CircleCI token replaced");
    expect(await card(page, ACME.id, "circleci").textContent()).toContain(`ends in ${CIRCLE_NEXT.slice(-4)}`);
    expect((await tokens.get(ACME.id, "circleci"))?.token).toBe(CIRCLE_NEXT);
    await keep(page);

    await card(page, ACME.id, "circleci").getByText("Disconnect", { exact: true }).click();
    await card(page, ACME.id, "circleci").getByRole("button", { name: "Disconnect CircleCI" }).click();
    await expect.poll(() => card(page, ACME.id, "circleci").locator(".badge").textContent()).toBe("Not connected");
    expect(await tokens.get(ACME.id, "circleci")).toBeNull();
    await keep(page);
  });

  it("can be used with the keyboard alone", async () => {
    const { page } = await signIn(OWNER.login);
    const target = card(page, ACME.id, "buildkite").getByLabel("Buildkite API access token");
    let reached = false;
    for (let presses = 0; presses < 60 && !reached; presses += 1) {
      await page.keyboard.press("Tab");
      reached = await target.evaluate((element) => element === (globalThis as unknown as PageGlobals).document.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.type(BUILDKITE);
    await page.keyboard.press("Enter");
    await expect.poll(() => card(page, ACME.id, "buildkite").locator(".badge").textContent()).toBe("Connected");
    await keep(page);
    expect((await tokens.get(ACME.id, "buildkite"))?.token).toBe(BUILDKITE);
  });

  it("refuses a member who is not an owner, an outsider, a missing CSRF token and a foreign origin, writing nothing", async () => {
    const before = JSON.stringify(await tokens.list());
    const forged = { action: "connect", account: String(ACME.id), provider: "circleci", token: CIRCLE };

    const member = await signIn(MEMBER.login);
    expect(await member.page.getByText("You need to be an owner of acme").count()).toBe(1);
    expect(await member.page.locator('input[name="token"]').count()).toBe(0);
    const memberCsrf = await member.page.locator('input[name="csrf"]').first().inputValue();
    expect(await forgeForm(member.page, { ...forged, csrf: memberCsrf })).toBe(403);
    expect(await member.page.textContent("main")).toContain("You need to be an owner of acme");

    const outsider = await signIn(OUTSIDER.login);
    const outsiderCsrf = await outsider.page.locator('input[name="csrf"]').first().inputValue();
    expect(await forgeForm(outsider.page, { ...forged, csrf: outsiderCsrf })).toBe(403);

    const owner = await signIn(OWNER.login);
    expect(await forgeForm(owner.page, forged)).toBe(403);
    expect(await owner.page.textContent("main")).toContain("This form is out of date");

    await owner.page.goto(`${harness.baseUrl}/setup`);
    const ownerCsrf = await owner.page.locator('input[name="csrf"]').first().inputValue();
    await owner.page.goto(`${evilOrigin}/`);
    await owner.page.locator("#csrf").fill(ownerCsrf);
    const response = owner.page.waitForResponse((r) => r.url().endsWith("/setup/tokens"));
    await owner.page.getByRole("button", { name: "go" }).click();
    expect((await response).status()).toBe(403);
    await owner.page.waitForURL(/\/setup\/tokens$/, { waitUntil: "load" });
    expect(await keep(owner.page)).toContain(`This form was not sent from ${harness.baseUrl}`);

    expect(JSON.stringify(await tokens.list())).toBe(before);
    expect(harness.ci.seen.filter((call) => call.token === CIRCLE).length).toBe(1);
  });

  it("refuses a callback with a state it did not issue, and starts no session", async () => {
    const { context, page } = await browser();
    const response = await page.goto(`${harness.baseUrl}/setup/callback?code=0123456789abcdef0123&state=not-issued-here`);
    expect(response?.status()).toBe(400);
    expect(await keep(page)).toContain("This sign-in link is not valid");
    expect(await context.cookies(harness.baseUrl)).toEqual([]);
    expect(harness.github.tokenErrors).toEqual([]);
  });

  it("left no token, OAuth code or state in any page or log line", async () => {
    const corpus = [...produced, ...harness.logs].join("\n");
    expect(corpus).toContain("CI integrations");
    for (const secret of [...SECRETS, ...oauthSecrets, ...harness.github.secretsSeen]) expect(corpus).not.toContain(secret);
  });

  it("took screenshots at desktop and phone width", () => {
    for (const name of ["setup-page.png", "setup-page-phone.png"]) {
      const png = readFileSync(path.join(shots, name));
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      expect(png.length).toBeGreaterThan(20_000);
      if (SCREENSHOT_DIR) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        copyFileSync(path.join(shots, name), path.join(SCREENSHOT_DIR, name));
      }
    }
  });
});
