import type { IncomingMessage, ServerResponse } from "node:http";
import { ProviderResponseInvalid, ProviderUnavailable, TokenInvalid, describeError } from "../../errors.ts";
import type { ReadyContext } from "../context.ts";
import { LOGIN_COOKIE, SESSION_COOKIE, clearCookie, readCookie, setCookie } from "../cookies.ts";
import { redirect, sendPage } from "../responses.ts";
import { pkceChallenge } from "../secure-random.ts";
import { messagePage } from "../views/pages.ts";
import { checkPost } from "./post-guard.ts";

/** GET /setup/login: a fresh state and PKCE verifier, bound to this browser by a short-lived cookie. */
export function startSignIn(ctx: ReadyContext, res: ServerResponse): void {
  const { state, nonce, verifier } = ctx.sessions.beginLogin();
  const location = ctx.github.authorizeUrl({ redirectUri: ctx.redirectUri, state, codeChallenge: pkceChallenge(verifier) });
  redirect(res, location, [setCookie(LOGIN_COOKIE, nonce, ctx.sessions.loginTtlMs / 1000)], 302);
}

/** GET /setup/callback?code=…&state=…: GitHub sends the browser back here after the user authorised the app. */
export async function finishSignIn(ctx: ReadyContext, req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<void> {
  const cookies = [clearCookie(LOGIN_COOKIE)];
  const refuse = (status: number, title: string, message: string, hints: string[] = []) =>
    sendPage(res, status, messagePage(ctx.paths, title, message, hints), { cookies });

  const state = params.get("state");
  const pending = state ? ctx.sessions.finishLogin(state, readCookie(req, LOGIN_COOKIE)) : null;
  if (!pending) {
    ctx.log.warn("setup sign-in refused: unknown, expired, reused or foreign state");
    return refuse(400, "This sign-in link is not valid", "Nothing was signed in.", [
      "A sign-in link works once, for ten minutes, in the browser that started it.",
      `Start again from ${ctx.config.baseUrl.origin}${ctx.paths.home}.`,
    ]);
  }
  const code = params.get("code");
  if (params.get("error") || !code) return refuse(403, "Sign-in cancelled", "GitHub did not sign you in, so nothing changed.");

  try {
    const grant = await ctx.github.exchangeCode({ code, redirectUri: ctx.redirectUri, verifier: pending.verifier });
    const user = await ctx.github.user(grant.token);
    const expiresAt = grant.expiresInSeconds === null ? null : ctx.now().getTime() + grant.expiresInSeconds * 1000;
    const previous = ctx.session(req);
    if (previous) ctx.sessions.destroy(previous.id);
    const session = ctx.sessions.create(user, grant.token, expiresAt);
    ctx.log.info({ actor: user.login, actorId: user.id }, "setup: signed in");
    cookies.push(setCookie(SESSION_COOKIE, session.id, (session.expiresAt - ctx.now().getTime()) / 1000));
    redirect(res, ctx.paths.home, cookies);
  } catch (error) {
    if (error instanceof ProviderUnavailable || error instanceof ProviderResponseInvalid) {
      return refuse(502, "Could not reach GitHub", `${describeError(error)}. Nothing was signed in.`);
    }
    if (error instanceof TokenInvalid) return refuse(400, "GitHub refused the sign-in", `${describeError(error)}. Start again from the setup page.`);
    throw error;
  }
}

/** POST /setup/logout: forgets the session and the GitHub token held for it. */
export async function signOut(ctx: ReadyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const checked = await checkPost(ctx, req, res);
  if (!checked) return;
  ctx.sessions.destroy(checked.session.id);
  ctx.log.info({ actor: checked.session.user.login }, "setup: signed out");
  redirect(res, ctx.paths.home, [clearCookie(SESSION_COOKIE)]);
}
