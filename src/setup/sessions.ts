import type { TokenProviderId } from "../ci-kinds.ts";
import { randomToken, sameSecret } from "./secure-random.ts";

export interface SignedInUser {
  id: number;
  login: string;
}

/** A message shown once on the next page, next to the card it is about. */
export interface Flash {
  kind: "success" | "error";
  accountId: number | null;
  provider: TokenProviderId | null;
  message: string;
  hints: string[];
}

export interface SetupSession {
  id: string;
  csrf: string;
  user: SignedInUser;
  /** The user's GitHub token: held here only, for the admin checks, and dropped with the session. */
  githubToken: string;
  expiresAt: number;
  flash: Flash | null;
}

interface PendingLogin {
  nonce: string;
  verifier: string;
  expiresAt: number;
}

export interface SessionStoreOptions {
  sessionTtlMs: number;
  loginTtlMs: number;
  /** Entries kept at most per map; the oldest go first, so a flood cannot grow memory. */
  maxEntries: number;
  now: () => number;
}

/**
 * Sessions and sign-ins in progress, in this process's memory: nothing about them is in a cookie but a random
 * id. (Several replicas therefore need sticky sessions for /setup.)
 */
export class SessionStore {
  readonly #sessions = new Map<string, SetupSession>();
  readonly #logins = new Map<string, PendingLogin>();
  readonly #options: SessionStoreOptions;

  constructor(options: SessionStoreOptions) {
    this.#options = options;
  }

  get sessionTtlMs(): number {
    return this.#options.sessionTtlMs;
  }

  get loginTtlMs(): number {
    return this.#options.loginTtlMs;
  }

  /** A new sign-in: `state` goes to GitHub, `nonce` to the browser's cookie, `verifier` stays here. */
  beginLogin(): { state: string; nonce: string; verifier: string } {
    const login = { nonce: randomToken(), verifier: randomToken(), expiresAt: this.#options.now() + this.#options.loginTtlMs };
    const state = randomToken();
    this.#put(this.#logins, state, login);
    return { state, ...login };
  }

  /** Single use: the pending sign-in is gone after this call, whether it matched or not. */
  finishLogin(state: string, nonce: string | undefined): { verifier: string } | null {
    const login = this.#logins.get(state);
    if (!login) return null;
    this.#logins.delete(state);
    if (login.expiresAt <= this.#options.now() || !sameSecret(login.nonce, nonce)) return null;
    return { verifier: login.verifier };
  }

  create(user: SignedInUser, githubToken: string, tokenExpiresAt: number | null): SetupSession {
    const ttlEnd = this.#options.now() + this.#options.sessionTtlMs;
    const session: SetupSession = {
      id: randomToken(),
      csrf: randomToken(),
      user,
      githubToken,
      expiresAt: tokenExpiresAt === null ? ttlEnd : Math.min(ttlEnd, tokenExpiresAt),
      flash: null,
    };
    this.#put(this.#sessions, session.id, session);
    return session;
  }

  get(id: string | undefined): SetupSession | null {
    if (!id) return null;
    const session = this.#sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= this.#options.now()) {
      this.#sessions.delete(id);
      return null;
    }
    return session;
  }

  destroy(id: string): void {
    this.#sessions.delete(id);
  }

  #put<T extends { expiresAt: number }>(map: Map<string, T>, key: string, value: T): void {
    const now = this.#options.now();
    for (const [oldKey, old] of map) {
      if (map.size < this.#options.maxEntries && old.expiresAt > now) break;
      map.delete(oldKey);
    }
    map.set(key, value);
  }
}
