import { describe, expect, it } from "vitest";
import { SessionStore } from "../../src/setup/sessions.ts";

function store(maxEntries = 100) {
  let now = 1_000_000;
  const sessions = new SessionStore({ sessionTtlMs: 60 * 60_000, loginTtlMs: 10 * 60_000, maxEntries, now: () => now });
  return { sessions, advance: (ms: number) => (now += ms) };
}

const user = { id: 1, login: "octo" };

describe("SessionStore", () => {
  it("accepts a sign-in state once, only with the nonce of the browser that started it", () => {
    const { sessions } = store();
    const login = sessions.beginLogin();
    expect(sessions.finishLogin(login.state, "another-browser")).toBeNull();
    // The failed attempt used the state up.
    expect(sessions.finishLogin(login.state, login.nonce)).toBeNull();

    const next = sessions.beginLogin();
    expect(sessions.finishLogin(next.state, next.nonce)).toEqual({ verifier: next.verifier });
    expect(sessions.finishLogin(next.state, next.nonce)).toBeNull();
  });

  it("lets a sign-in state expire after ten minutes", () => {
    const { sessions, advance } = store();
    const login = sessions.beginLogin();
    advance(10 * 60_000);
    expect(sessions.finishLogin(login.state, login.nonce)).toBeNull();
  });

  it("ends a session at its lifetime, or earlier when GitHub's token expires first", () => {
    const { sessions, advance } = store();
    const long = sessions.create(user, "ghu_long", null);
    const short = sessions.create(user, "ghu_short", 1_000_000 + 5 * 60_000);
    advance(5 * 60_000);
    expect(sessions.get(short.id)).toBeNull();
    expect(sessions.get(long.id)?.githubToken).toBe("ghu_long");
    advance(55 * 60_000);
    expect(sessions.get(long.id)).toBeNull();
  });

  it("gives every session its own random id and CSRF token", () => {
    const { sessions } = store();
    const a = sessions.create(user, "t", null);
    const b = sessions.create(user, "t", null);
    expect(new Set([a.id, a.csrf, b.id, b.csrf]).size).toBe(4);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("keeps at most maxEntries, dropping the oldest, so a flood of sign-ins cannot grow memory", () => {
    const { sessions } = store(3);
    const logins = Array.from({ length: 5 }, () => sessions.beginLogin());
    expect(sessions.finishLogin(logins[0]!.state, logins[0]!.nonce)).toBeNull();
    expect(sessions.finishLogin(logins[1]!.state, logins[1]!.nonce)).toBeNull();
    expect(sessions.finishLogin(logins[4]!.state, logins[4]!.nonce)).not.toBeNull();
  });

  it("forgets a destroyed session and an unknown id", () => {
    const { sessions } = store();
    const session = sessions.create(user, "t", null);
    sessions.destroy(session.id);
    expect(sessions.get(session.id)).toBeNull();
    expect(sessions.get(undefined)).toBeNull();
  });
});
