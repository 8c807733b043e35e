import type { Logger } from "probot";
import { CiMenderError, ProviderUnavailable, describeError } from "../errors.ts";
import type { CiHttp } from "../providers/http.ts";
import type { ProviderSettings, TokenCheck, TokenProvider } from "../providers/types.ts";
import type { TokenStore } from "../secrets/token-store.ts";
import type { Account } from "./admin.ts";
import type { Flash, SignedInUser } from "./sessions.ts";

export interface ActionContext {
  tokens: TokenStore;
  http: CiHttp;
  settings: ProviderSettings;
  log: Logger;
  now: () => Date;
}

export interface ActionTarget {
  actor: SignedInUser;
  account: Account;
  provider: TokenProvider;
}

type Verification =
  | { kind: "passed"; check: Extract<TokenCheck, { ok: true }> }
  | { kind: "failed" | "unreachable"; message: string; hints: string[] };

const VERBS = { connect: "connected", rotate: "replaced", verify: "verified", disconnect: "disconnected" } as const;

/** Connects or replaces a token: stored only after the provider accepted it in a test call. */
export async function connectToken(ctx: ActionContext, target: ActionTarget, token: string): Promise<Flash> {
  const { account, provider, actor } = target;
  const verification = await verify(ctx, target, token);
  if (verification.kind !== "passed") {
    const hints = verification.kind === "failed" ? [...verification.hints, "Nothing was saved."] : verification.hints;
    return scrub(flash(target, "error", verification.message, hints), token);
  }
  const replaced = (await ctx.tokens.list(account.id)).some((metadata) => metadata.provider === provider.id);
  const metadata = await ctx.tokens.set(account.id, provider.id, {
    token,
    verifiedAt: ctx.now().toISOString(),
    scopes: verification.check.scopes ? [...verification.check.scopes] : null,
    updatedBy: actor.login,
  });
  audit(ctx, target, replaced ? "rotate" : "connect");
  const as = verification.check.identity ? ` It acts as ${verification.check.identity}.` : "";
  return scrub(
    flash(target, "success", `${provider.name} ${replaced ? "token replaced" : "connected"} (token ending ${metadata.last4}).${as}`, [
      ...verification.check.warnings,
    ]),
    token,
  );
}

/** Tests the stored token again and records the outcome on it. */
export async function verifyStoredToken(ctx: ActionContext, target: ActionTarget): Promise<Flash> {
  const { account, provider } = target;
  const stored = await ctx.tokens.get(account.id, provider.id);
  if (!stored) return flash(target, "error", `No ${provider.name} token is connected for ${account.login}.`, []);
  const verification = await verify(ctx, target, stored.token);
  const at = ctx.now().toISOString();
  audit(ctx, target, "verify", verification.kind);
  if (verification.kind !== "passed") {
    if (verification.kind === "unreachable") return scrub(flash(target, "error", verification.message, verification.hints), stored.token);
    await ctx.tokens.markVerified(account.id, provider.id, { at, error: verification.message });
    return scrub(flash(target, "error", `The stored token no longer works: ${verification.message}`, verification.hints), stored.token);
  }
  await ctx.tokens.markVerified(account.id, provider.id, { at, error: null });
  return scrub(flash(target, "success", `${provider.name} accepted the stored token.`, [...verification.check.warnings]), stored.token);
}

export async function disconnectToken(ctx: ActionContext, target: ActionTarget): Promise<Flash> {
  const { account, provider } = target;
  const removed = await ctx.tokens.remove(account.id, provider.id);
  if (!removed) return flash(target, "error", `No ${provider.name} token was connected for ${account.login}.`, []);
  audit(ctx, target, "disconnect");
  return flash(target, "success", `${provider.name} disconnected: ci-mender no longer holds the token.`, [
    `Revoke the token at ${provider.name} too if nothing else uses it.`,
  ]);
}

async function verify(ctx: ActionContext, target: ActionTarget, token: string): Promise<Verification> {
  const { provider, account } = target;
  let check: TokenCheck;
  try {
    check = await provider.verifyToken(token, { http: ctx.http, settings: ctx.settings });
  } catch (error) {
    if (error instanceof ProviderUnavailable) {
      ctx.log.warn({ provider: provider.id, accountId: account.id, reason: error.message }, "token verification could not reach the provider");
      return { kind: "unreachable", message: `Could not reach ${provider.name}; nothing was saved, try again.`, hints: [error.message] };
    }
    if (error instanceof CiMenderError) return { kind: "failed", message: error.message, hints: [] };
    ctx.log.error({ provider: provider.id, accountId: account.id, reason: describeError(error) }, "token verification failed unexpectedly");
    return { kind: "failed", message: `ci-mender could not verify the ${provider.name} token.`, hints: [] };
  }
  return check.ok ? { kind: "passed", check } : { kind: "failed", message: check.error, hints: [...check.hints] };
}

/** One line per change, for the security log: who, which account, which provider, when. Never the token. */
function audit(
  ctx: ActionContext,
  target: ActionTarget,
  action: "connect" | "rotate" | "verify" | "disconnect",
  result?: Verification["kind"],
): void {
  const { actor, account, provider } = target;
  ctx.log.info(
    {
      audit: {
        action,
        actor: actor.login,
        actorId: actor.id,
        accountId: account.id,
        account: account.login,
        provider: provider.id,
        at: ctx.now().toISOString(),
        ...(result ? { result } : {}),
      },
    },
    `audit: ${actor.login} ${VERBS[action]} the ${provider.name} token of ${account.login}`,
  );
}

function flash(target: ActionTarget, kind: Flash["kind"], message: string, hints: string[]): Flash {
  return { kind, accountId: target.account.id, provider: target.provider.id, message, hints };
}

/** Belt and braces: whatever a provider module puts in a message, the token itself is never shown. */
function scrub(value: Flash, token: string): Flash {
  const clean = (text: string) => (token.length >= 4 ? text.split(token).join("[token]") : text);
  return { ...value, message: clean(value.message), hints: value.hints.map(clean) };
}
