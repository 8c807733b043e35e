import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { loadConfig } from "../../src/config.ts";
import { CiHttp } from "../../src/providers/http.ts";
import type { ProviderFacts, ProviderId } from "../../src/providers/types.ts";
import type { TokenStore } from "../../src/secrets/token-store.ts";
import { accessLogRedaction, createSetupHandler } from "../../src/setup/index.ts";
import { CiApiStandIn } from "../helpers/ci-api-stand-in.ts";
import { GitHubStandIn } from "../helpers/github-oauth-stand-in.ts";
import { MemoryTokenStore } from "../helpers/memory-token-store.ts";

export const CLIENT_ID = "Iv23liStandInClient";
export const CLIENT_SECRET = "stand-in-client-secret-0123456789abcdef";

/** Accounts of the stand-in GitHub: one org with an owner, a member and an outsider, and the owner's own account. */
export const ACME = { id: 5001, login: "acme", type: "Organization" } as const;
export const OWNER = { id: 101, login: "octo-owner" };
export const MEMBER = { id: 102, login: "octo-member" };
export const OUTSIDER = { id: 103, login: "octo-outsider" };

/** Everything a test run printed or served, so a test can prove no token is in any of it. */
export const produced: string[] = [];
/** OAuth states, codes and GitHub user tokens issued during the run: none may appear in `produced` either. */
export const oauthSecrets: string[] = [];

export interface HarnessOptions {
  tokens?: TokenStore;
  providers?: ReadonlyMap<ProviderId, ProviderFacts>;
  verifyTimeoutMs?: number;
  env?: Record<string, string>;
  now?: () => Date;
  /** Build the process logger without the access-log redaction (to show what it prevents). */
  withoutRedaction?: boolean;
}

/**
 * /setup served by Probot's own Server (so its pino-http access log runs for real), with GitHub and the CI
 * APIs replaced by loopback stand-ins and every log line captured.
 */
export class SetupHarness {
  readonly github: GitHubStandIn;
  readonly ci = new CiApiStandIn();
  readonly tokens: TokenStore;
  readonly logs: string[] = [];
  baseUrl = "";
  githubOrigin = "";
  #server: Server | null = null;
  readonly #options: HarnessOptions;

  constructor(options: HarnessOptions = {}) {
    this.#options = options;
    this.tokens = options.tokens ?? new MemoryTokenStore();
    this.github = new GitHubStandIn({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    this.github.addUser(OWNER, [
      { id: 900, account: ACME },
      { id: 901, account: { ...OWNER, type: "User" } },
    ]);
    this.github.addUser(MEMBER, [{ id: 900, account: ACME }]);
    this.github.addUser(OUTSIDER, []);
    this.github.memberships.set(`acme/${OWNER.login}`, { role: "admin", state: "active" });
    this.github.memberships.set(`acme/${MEMBER.login}`, { role: "member", state: "active" });
  }

  async start(): Promise<this> {
    const githubPort = await this.github.start();
    this.githubOrigin = `http://127.0.0.1:${githubPort}`;
    const ciOrigin = await this.ci.start();
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.github.redirectUri = `${this.baseUrl}/setup/callback`;
    const config = loadConfig({
      BASE_URL: this.baseUrl,
      GHE_HOST: `127.0.0.1:${githubPort}`,
      GHE_PROTOCOL: "http",
      GITHUB_CLIENT_ID: CLIENT_ID,
      GITHUB_CLIENT_SECRET: CLIENT_SECRET,
      CIRCLECI_API_URL: ciOrigin,
      BUILDKITE_API_URL: ciOrigin,
      BITRISE_API_URL: ciOrigin,
      ...this.#options.env,
    });
    const logs = this.logs;
    const redactionOff = this.#options.withoutRedaction === true;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const line = chunk.toString("utf8");
        logs.push(line);
        if (!redactionOff) produced.push(line);
        done();
      },
    });
    const log = pino({ level: "debug", ...(this.#options.withoutRedaction ? {} : { redact: accessLogRedaction }) }, sink);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    this.#server = new Server({
      Probot: Probot.defaults({ appId: 1, privateKey, secret: "webhook-secret" }),
      host: "127.0.0.1",
      port,
      log,
    });
    const handler = createSetupHandler({
      config,
      tokens: this.tokens,
      log: log.child({ name: "setup" }),
      providers: this.#options.providers,
      verifyHttp: new CiHttp({ timeoutMs: this.#options.verifyTimeoutMs ?? 5_000, retryLimit: 0 }),
      now: this.#options.now,
    });
    await this.#server.load((_app, { addHandler }) => addHandler(handler));
    await this.#server.start();
    return this;
  }

  async stop(): Promise<void> {
    if (!this.#options.withoutRedaction) oauthSecrets.push(...this.github.secretsSeen.filter((value) => value.length > 0));
    await this.#server?.stop();
    await this.github.stop();
    await this.ci.stop();
  }

  browser(): TestBrowser {
    return new TestBrowser(this.baseUrl);
  }

  /** Signs a new browser in as `login` through the OAuth stand-in; returns it on the integrations page. */
  async signedIn(login: string): Promise<TestBrowser> {
    const browser = this.browser();
    this.github.signInAs(login);
    const page = await browser.get("/setup/login");
    if (page.status !== 200 || !page.body.includes("Signed in as")) throw new Error(`sign-in failed: ${page.status} ${page.body.slice(0, 300)}`);
    return browser;
  }
}

export interface Page {
  status: number;
  url: string;
  body: string;
  headers: Headers;
}

/** A cookie-keeping HTTP client that follows redirects across the app and the GitHub stand-in like a browser. */
export class TestBrowser {
  readonly cookies = new Map<string, Map<string, string>>();
  readonly #base: string;
  /** The last page's CSRF token, as a form on it would carry. */
  csrf = "";

  constructor(base: string) {
    this.#base = base;
  }

  async get(path: string): Promise<Page> {
    return this.#follow(new URL(path, this.#base), { method: "GET" });
  }

  /** Posts a form as the page would: same Origin, url-encoded, with the page's CSRF token unless overridden. */
  async post(path: string, fields: Record<string, string>, options: { origin?: string | null; csrf?: string | null; contentType?: string; raw?: string } = {}): Promise<Page> {
    const form = new URLSearchParams(fields);
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) form.set("csrf", csrf);
    const origin = options.origin === undefined ? new URL(this.#base).origin : options.origin;
    return this.#follow(new URL(path, this.#base), {
      method: "POST",
      headers: { "content-type": options.contentType ?? "application/x-www-form-urlencoded", ...(origin === null ? {} : { origin }) },
      body: options.raw ?? form.toString(),
    });
  }

  async #follow(url: URL, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Page> {
    let target = url;
    let request = init;
    for (let hop = 0; hop < 10; hop += 1) {
      const cookie = [...(this.cookies.get(target.origin) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join("; ");
      const response = await fetch(target, {
        method: request.method,
        headers: { ...request.headers, ...(cookie ? { cookie } : {}) },
        body: request.body,
        redirect: "manual",
      });
      this.#keepCookies(target.origin, response.headers.getSetCookie());
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        target = new URL(location, target);
        request = { method: "GET" };
        await response.arrayBuffer();
        continue;
      }
      const body = await response.text();
      produced.push(body);
      const csrf = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
      if (csrf) this.csrf = csrf;
      return { status: response.status, url: target.toString(), body, headers: response.headers };
    }
    throw new Error("too many redirects");
  }

  #keepCookies(origin: string, setCookies: string[]): void {
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair] = line.split(";");
      const index = pair?.indexOf("=") ?? -1;
      if (!pair || index < 1) continue;
      const name = pair.slice(0, index);
      if (/max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, pair.slice(index + 1));
    }
    this.cookies.set(origin, jar);
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}
