import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { CiMenderError, ProviderResponseInvalid, ProviderUnavailable, TokenInvalid, describeError } from "../../errors.ts";
import { TOKEN_PROVIDER_IDS } from "../../ci-kinds.ts";
import { requireAdmin } from "../admin.ts";
import type { ReadyContext } from "../context.ts";
import { SESSION_COOKIE, clearCookie } from "../cookies.ts";
import { PROVIDER_GUIDES } from "../provider-guides.ts";
import { redirect, sendPage } from "../responses.ts";
import type { Flash } from "../sessions.ts";
import { connectToken, disconnectToken, verifyStoredToken } from "../token-actions.ts";
import { messagePage } from "../views/pages.ts";
import { cardId } from "../views/provider-card.ts";
import { checkPost } from "./post-guard.ts";

const Change = z.object({
  action: z.enum(["connect", "rotate", "verify", "disconnect"]),
  account: z.string().regex(/^[1-9]\d{0,14}$/).transform(Number),
  provider: z.enum(TOKEN_PROVIDER_IDS),
  token: z.string().max(4096).optional(),
});

/** Tokens are printable ASCII without spaces at every provider; anything else was pasted wrong. */
const TOKEN_SHAPE = /^[\x21-\x7e]{8,1024}$/;

/** POST /setup/tokens: connect, rotate, verify again or disconnect one provider of one account. */
export async function changeToken(ctx: ReadyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const checked = await checkPost(ctx, req, res);
  if (!checked) return;
  const { session, form } = checked;
  const repeated = [...form.keys()].some((key) => form.getAll(key).length > 1);
  const parsed = Change.safeParse(Object.fromEntries(form));
  if (repeated || !parsed.success) {
    return sendPage(res, 400, messagePage(ctx.paths, "Form refused", "The form was incomplete or altered. Nothing was changed."));
  }
  const change = parsed.data;
  const guide = PROVIDER_GUIDES[change.provider];
  const back = (flash: Flash) => {
    session.flash = flash;
    redirect(res, `${ctx.paths.home}#${cardId(change.account, change.provider)}`);
  };
  const problem = (message: string, hints: string[] = []): Flash => ({
    kind: "error",
    accountId: change.account,
    provider: change.provider,
    message,
    hints,
  });

  const token = change.token?.trim() ?? "";
  if ((change.action === "connect" || change.action === "rotate") && !TOKEN_SHAPE.test(token)) {
    return back(problem(`Paste the whole ${guide.tokenLabel}: 8 to 1024 characters, without spaces. Nothing was saved.`));
  }
  const provider = ctx.provider(change.provider);
  if (!provider) return back(problem(`This version of ci-mender cannot check ${guide.name} tokens yet. Nothing was saved.`));

  let admin: Awaited<ReturnType<typeof requireAdmin>>;
  try {
    admin = await requireAdmin(ctx.github, session.githubToken, session.user, change.account);
  } catch (error) {
    if (error instanceof TokenInvalid) {
      ctx.sessions.destroy(session.id);
      return sendPage(res, 401, messagePage(ctx.paths, "Signed out", `${describeError(error)}. Nothing was changed.`), {
        cookies: [clearCookie(SESSION_COOKIE)],
      });
    }
    if (error instanceof ProviderUnavailable || error instanceof ProviderResponseInvalid) {
      return sendPage(res, 502, messagePage(ctx.paths, "Could not reach GitHub", `ci-mender could not confirm that you own this account: ${describeError(error)}. Nothing was changed.`));
    }
    throw error;
  }
  if (!admin.ok) {
    ctx.log.warn({ actor: session.user.login, accountId: change.account, provider: change.provider, action: change.action }, "setup: change refused, not an admin");
    return sendPage(res, 403, messagePage(ctx.paths, "Not allowed", `${admin.reason} Nothing was changed.`));
  }

  const target = { actor: session.user, account: admin.account, provider };
  const actions = { tokens: ctx.tokens, http: ctx.verifyHttp, settings: ctx.config.providers, log: ctx.log, now: ctx.now };
  try {
    if (change.action === "verify") return back(await verifyStoredToken(actions, target));
    if (change.action === "disconnect") return back(await disconnectToken(actions, target));
    return back(await connectToken(actions, target, token));
  } catch (error) {
    if (!(error instanceof CiMenderError)) throw error;
    ctx.log.warn({ accountId: change.account, provider: change.provider, reason: describeError(error) }, "setup: token store failed");
    return back(problem(describeError(error)));
  }
}
