import type { IncomingMessage } from "node:http";
import type { Logger } from "probot";
import type { Config } from "../config.ts";
import { CiHttp } from "../providers/http.ts";
import { providers as registeredProviders } from "../providers/registry.ts";
import type { ProviderId, TokenProviderId } from "../ci-kinds.ts";
import { type ProviderFacts, type TokenProvider, tokenProviderOf } from "../providers/types.ts";
import type { TokenStore } from "../secrets/token-store.ts";
import { SESSION_COOKIE, readCookie } from "./cookies.ts";
import { GitHub } from "./github.ts";
import { RateLimiter } from "./rate-limit.ts";
import { type SetupSession, SessionStore } from "./sessions.ts";
import type { SetupPaths } from "./views/pages.ts";

export interface SetupDeps {
  config: Config;
  tokens: TokenStore;
  /** Pino-compatible; audit lines and refusals are written here. */
  log: Logger;
  /** Providers whose tokens can be verified and stored; the registry by default. */
  providers?: ReadonlyMap<ProviderId, ProviderFacts>;
  /** Client for verification calls; by default a 5 s budget and no retries, so the admin gets an answer fast. */
  verifyHttp?: CiHttp;
  now?: () => Date;
}

export interface SetupContext {
  config: Config;
  tokens: TokenStore;
  log: Logger;
  verifyHttp: CiHttp;
  now: () => Date;
  sessions: SessionStore;
  postLimiter: RateLimiter;
  /** Null when GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET are not set: sign-in cannot work. */
  github: GitHub | null;
  paths: SetupPaths;
  /** Exactly the callback URL registered on the GitHub App. */
  redirectUri: string;
  /** Why /setup cannot work with this configuration, if it cannot. */
  misconfigured: string | null;
  /** The provider if it is registered and can verify tokens; null otherwise. */
  provider(id: TokenProviderId): TokenProvider | null;
  session(req: IncomingMessage): SetupSession | null;
}

/** The context once sign-in is configured. */
export type ReadyContext = SetupContext & { github: GitHub };

export const LIMITS = {
  formBytes: 8 * 1024,
  sessionTtlMs: 60 * 60_000,
  loginTtlMs: 10 * 60_000,
  maxEntries: 10_000,
  postsPerMinute: 30,
  verifyTimeoutMs: 5_000,
};

export function createContext(deps: SetupDeps): SetupContext {
  const { config } = deps;
  const now = deps.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const providers = deps.providers ?? registeredProviders;
  const sessions = new SessionStore({
    sessionTtlMs: LIMITS.sessionTtlMs,
    loginTtlMs: LIMITS.loginTtlMs,
    maxEntries: LIMITS.maxEntries,
    now: nowMs,
  });
  const root = config.baseUrl.pathname.replace(/\/+$/, "");
  const { clientId, clientSecret } = config.github;
  return {
    config,
    tokens: deps.tokens,
    log: deps.log,
    verifyHttp: deps.verifyHttp ?? new CiHttp({ timeoutMs: LIMITS.verifyTimeoutMs, retryLimit: 0 }),
    now,
    sessions,
    postLimiter: new RateLimiter({ limit: LIMITS.postsPerMinute, windowMs: 60_000, now: nowMs }),
    github:
      clientId && clientSecret
        ? new GitHub({ apiUrl: config.github.apiUrl, webUrl: config.github.webUrl, clientId, clientSecret })
        : null,
    paths: { home: `${root}/setup`, login: `${root}/setup/login`, logout: `${root}/setup/logout`, tokens: `${root}/setup/tokens` },
    redirectUri: `${config.baseUrl.origin}${root}/setup/callback`,
    misconfigured: misconfiguration(config),
    provider: (id) => tokenProviderOf(providers.get(id)),
    session: (req) => sessions.get(readCookie(req, SESSION_COOKIE)),
  };
}

function misconfiguration(config: Config): string | null {
  const { protocol, hostname } = config.baseUrl;
  if (protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(hostname)) {
    return "BASE_URL must be an https:// address (plain http is only accepted for localhost): browsers keep the sign-in cookie on secure pages only.";
  }
  if (!config.github.clientId || !config.github.clientSecret) {
    return "Sign-in with GitHub is not configured: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET to the GitHub App's client id and a client secret, and add BASE_URL/setup/callback to the app's callback URLs.";
  }
  return null;
}
