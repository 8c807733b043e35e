import { z } from "zod";
import { ProviderResponseInvalid, ProviderUnavailable, TokenInvalid } from "../errors.ts";

export interface GitHubOptions {
  /** `https://api.github.com` or `https://HOST/api/v3`. */
  apiUrl: URL;
  /** `https://github.com` or the GHES host: where users authorise and codes are exchanged. */
  webUrl: URL;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

export interface Installation {
  id: number;
  account: { id: number; login: string; type: string };
}

/** What GitHub says about the user in an organisation: their role, not a member (404), or no answer (403). */
export type Membership = { kind: "member"; role: string; state: string } | { kind: "not-member" } | { kind: "forbidden" };

const TokenAnswer = z.union([
  z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive().optional() }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

const User = z.object({ id: z.number().int().positive(), login: z.string().min(1) });

const Installations = z.object({
  total_count: z.number().int(),
  installations: z.array(
    z.object({
      id: z.number().int().positive(),
      account: z.object({ id: z.number().int().positive(), login: z.string().min(1), type: z.string() }).nullable(),
    }),
  ),
});

const MembershipAnswer = z.object({ role: z.string(), state: z.string() });

const PAGE_SIZE = 100;
const MAX_PAGES = 10;

/**
 * The GitHub App's user sign-in (OAuth web flow with PKCE) and the few user-token API calls /setup needs.
 * Works against github.com and GitHub Enterprise Server alike: both URLs come from configuration.
 */
export class GitHub {
  readonly #options: GitHubOptions;
  readonly #timeoutMs: number;

  constructor(options: GitHubOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  authorizeUrl(params: { redirectUri: string; state: string; codeChallenge: string }): string {
    const url = new URL("/login/oauth/authorize", this.#options.webUrl);
    url.search = new URLSearchParams({
      client_id: this.#options.clientId,
      redirect_uri: params.redirectUri,
      state: params.state,
      code_challenge: params.codeChallenge,
      code_challenge_method: "S256",
      allow_signup: "false",
    }).toString();
    return url.toString();
  }

  /** Trades the callback's code for a user token; GitHub checks the verifier against the challenge. */
  async exchangeCode(params: { code: string; redirectUri: string; verifier: string }): Promise<{ token: string; expiresInSeconds: number | null }> {
    const { body } = await this.#request(new URL("/login/oauth/access_token", this.#options.webUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: this.#options.clientId,
        client_secret: this.#options.clientSecret,
        code: params.code,
        redirect_uri: params.redirectUri,
        code_verifier: params.verifier,
      }),
    });
    const answer = TokenAnswer.safeParse(body);
    if (!answer.success) throw new ProviderResponseInvalid("GitHub answered the sign-in in an unexpected shape");
    if ("error" in answer.data) {
      throw new TokenInvalid(`GitHub refused the sign-in (${answer.data.error.replace(/[^a-z_]/g, "").slice(0, 60)})`);
    }
    return { token: answer.data.access_token, expiresInSeconds: answer.data.expires_in ?? null };
  }

  async user(token: string): Promise<{ id: number; login: string }> {
    return parse(User, (await this.#api("/user", token)).body, "/user");
  }

  /** Installations of this app that the user can access (`GET /user/installations`, every page). */
  async installations(token: string): Promise<Installation[]> {
    const out: Installation[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const { body } = await this.#api(`/user/installations?per_page=${PAGE_SIZE}&page=${page}`, token);
      const answer = parse(Installations, body, "/user/installations");
      for (const installation of answer.installations) {
        if (installation.account) out.push({ id: installation.id, account: installation.account });
      }
      if (answer.installations.length < PAGE_SIZE) break;
    }
    return out;
  }

  /**
   * The user's membership of an organisation. 403 happens when the app lacks the organisation permission
   * "Members: read" or the organisation restricts the app; the caller explains it rather than failing.
   */
  async membership(token: string, org: string): Promise<Membership> {
    const answer = await this.#api(`/user/memberships/orgs/${encodeURIComponent(org)}`, token, [403, 404]);
    if (answer.status === 404) return { kind: "not-member" };
    if (answer.status === 403) return { kind: "forbidden" };
    return { kind: "member", ...parse(MembershipAnswer, answer.body, "/user/memberships/orgs") };
  }

  async #api(path: string, token: string, allow: number[] = []): Promise<{ status: number; body: unknown }> {
    const base = this.#options.apiUrl.href.replace(/\/+$/, "");
    return this.#request(new URL(`${base}${path}`), {
      method: "GET",
      headers: { authorization: `Bearer ${token}`, "x-github-api-version": "2022-11-28" },
      allow,
    });
  }

  async #request(
    url: URL,
    init: { method: string; headers: Record<string, string>; body?: string; allow?: number[] },
  ): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: init.method,
        headers: { accept: "application/json", "user-agent": "ci-mender", ...init.headers },
        body: init.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch {
      throw new ProviderUnavailable("could not reach GitHub; try again");
    }
    const status = response.status;
    const rateLimited = status === 429 || (status === 403 && response.headers.get("x-ratelimit-remaining") === "0");
    if (rateLimited || status >= 500) throw new ProviderUnavailable(`GitHub answered HTTP ${status}; try again in a minute`);
    if (status === 401) throw new TokenInvalid("GitHub no longer accepts your sign-in; sign in again");
    if (init.allow?.includes(status)) return { status, body: null };
    if (status < 200 || status >= 300) throw new ProviderResponseInvalid(`GitHub answered ${url.pathname} with HTTP ${status}`);
    try {
      return { status, body: await response.json() };
    } catch {
      throw new ProviderResponseInvalid(`GitHub answered ${url.pathname} with something that is not JSON`);
    }
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProviderResponseInvalid(`GitHub answered ${what} in an unexpected shape`);
  return parsed.data;
}
