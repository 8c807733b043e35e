import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackServer } from "./loopback-server.ts";

/**
 * A loopback stand-in for a GitHub (Enterprise Server) host: the OAuth web flow of a GitHub App
 * (`/login/oauth/authorize`, `/login/oauth/access_token` with PKCE) and the user-token REST calls /setup makes
 * under `/api/v3`. Point ci-mender at it with GHE_HOST=127.0.0.1:<port> and GHE_PROTOCOL=http.
 *
 * Authorising needs no clicks: the stand-in signs in whoever `signInAs` named, as GitHub does for a user who
 * authorised the app before.
 */

export interface StandInUser {
  id: number;
  login: string;
}

export interface StandInInstallation {
  id: number;
  account: { id: number; login: string; type: "Organization" | "User" };
}

export interface GitHubStandInOptions {
  clientId: string;
  clientSecret: string;
  /** The one redirect URI registered on the app; authorize and token requests must use exactly this. */
  redirectUri?: string;
}

interface Grant {
  user: StandInUser;
  redirectUri: string;
  challenge: string;
}

export class GitHubStandIn {
  readonly users = new Map<string, StandInUser>();
  /** Installations each user can see (`GET /user/installations`), by login. */
  readonly installations = new Map<string, StandInInstallation[]>();
  /** `org/login` → membership; a missing entry answers 404. */
  readonly memberships = new Map<string, { role: "admin" | "member"; state: "active" | "pending" } | "forbidden">();
  /** Every request the stand-in saw, path and query included. */
  readonly requests: string[] = [];
  /** Error answers of the token endpoint, for tests that check how they are shown. */
  readonly tokenErrors: string[] = [];
  /** Every OAuth state, code and user token this stand-in saw or issued, for tests that grep output for them. */
  readonly secretsSeen: string[] = [];
  redirectUri: string | undefined;
  #nextUser: string | null = null;
  readonly #options: GitHubStandInOptions;
  readonly #grants = new Map<string, Grant>();
  readonly #tokens = new Map<string, StandInUser>();
  readonly #server = new LoopbackServer((req, res) => this.#handle(req, res));

  constructor(options: GitHubStandInOptions) {
    this.#options = options;
    this.redirectUri = options.redirectUri;
  }

  async start(): Promise<number> {
    return this.#server.listen();
  }

  async stop(): Promise<void> {
    await this.#server.close();
  }

  addUser(user: StandInUser, installations: StandInInstallation[]): void {
    this.users.set(user.login, user);
    this.installations.set(user.login, installations);
  }

  /** The user the next authorisation signs in. */
  signInAs(login: string): void {
    this.#nextUser = login;
  }

  /** Revokes every user token, as when a user revokes the app's authorisation. */
  revokeAll(): void {
    this.#tokens.clear();
  }

  /** User tokens handed out and still valid. */
  issuedTokens(): string[] {
    return [...this.#tokens.keys()];
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") return this.#authorize(url, res);
    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") return this.#token(req, res);
    if (req.method === "GET" && url.pathname.startsWith("/api/v3/")) return this.#api(req, url, res);
    json(res, 404, { message: "Not Found" });
  }

  #authorize(url: URL, res: ServerResponse): void {
    const params = url.searchParams;
    const redirectUri = params.get("redirect_uri") ?? "";
    if (params.get("client_id") !== this.#options.clientId) return text(res, 404, "unknown client");
    if (this.redirectUri && redirectUri !== this.redirectUri) return text(res, 400, "The redirect_uri is not associated with this application.");
    if (params.get("code_challenge_method") !== "S256" || !params.get("code_challenge")) return text(res, 400, "PKCE S256 required by this stand-in");
    const user = this.#nextUser ? this.users.get(this.#nextUser) : undefined;
    if (!user) return text(res, 403, "nobody is signed in to the stand-in");
    const code = randomBytes(10).toString("hex");
    this.secretsSeen.push(code, params.get("state") ?? "");
    this.#grants.set(code, { user, redirectUri, challenge: params.get("code_challenge") ?? "" });
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    back.searchParams.set("state", params.get("state") ?? "");
    res.writeHead(302, { location: back.toString() }).end();
  }

  async #token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = JSON.parse(await readBody(req)) as Record<string, string>;
    const fail = (error: string) => {
      this.tokenErrors.push(error);
      json(res, 200, { error, error_description: error, error_uri: "https://docs.github.com" });
    };
    if (body.client_id !== this.#options.clientId || body.client_secret !== this.#options.clientSecret) return fail("incorrect_client_credentials");
    const grant = this.#grants.get(body.code ?? "");
    this.#grants.delete(body.code ?? "");
    if (!grant) return fail("bad_verification_code");
    if (body.redirect_uri !== grant.redirectUri) return fail("redirect_uri_mismatch");
    const challenge = createHash("sha256").update(body.code_verifier ?? "").digest("base64url");
    if (challenge !== grant.challenge) return fail("bad_verification_code");
    const token = `ghu_${randomBytes(18).toString("base64url")}`;
    this.#tokens.set(token, grant.user);
    this.secretsSeen.push(token);
    json(res, 200, { access_token: token, token_type: "bearer", scope: "", expires_in: 28_800, refresh_token: `ghr_${randomBytes(18).toString("hex")}` });
  }

  #api(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const token = /^(?:Bearer|token) (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    const user = token ? this.#tokens.get(token) : undefined;
    if (!user) return json(res, 401, { message: "Bad credentials", status: "401" });
    const path = url.pathname.slice("/api/v3".length);
    if (path === "/user") return json(res, 200, { login: user.login, id: user.id, type: "User", site_admin: false });
    if (path === "/user/installations") {
      const all = this.installations.get(user.login) ?? [];
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      return json(res, 200, {
        total_count: all.length,
        installations: slice.map((i) => ({ id: i.id, app_id: 1, target_type: i.account.type, account: { ...i.account, node_id: "x" } })),
      });
    }
    const org = /^\/user\/memberships\/orgs\/([^/]+)$/.exec(path)?.[1];
    if (org) {
      const membership = this.memberships.get(`${decodeURIComponent(org)}/${user.login}`);
      if (membership === "forbidden") return json(res, 403, { message: "Resource not accessible by integration", status: "403" });
      if (!membership) return json(res, 404, { message: "Not Found", status: "404" });
      return json(res, 200, { ...membership, organization: { login: decodeURIComponent(org) }, user: { login: user.login, id: user.id } });
    }
    json(res, 404, { message: "Not Found", status: "404" });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain" }).end(body);
}
