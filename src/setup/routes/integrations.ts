import type { IncomingMessage, ServerResponse } from "node:http";
import { ProviderResponseInvalid, ProviderUnavailable, StoreUnavailable, TokenInvalid, describeError } from "../../errors.ts";
import { TOKEN_PROVIDER_IDS } from "../../ci-kinds.ts";
import { type AccountAccess, accountAccess } from "../admin.ts";
import type { ReadyContext } from "../context.ts";
import { SESSION_COOKIE, clearCookie } from "../cookies.ts";
import { PROVIDER_GUIDES } from "../provider-guides.ts";
import type { Flash } from "../sessions.ts";
import { sendPage } from "../responses.ts";
import { integrationsPage, messagePage, signInPage } from "../views/pages.ts";

/** GET /setup: the sign-in page, or the cards of every account the user administers (asked of GitHub afresh). */
export async function showIntegrations(ctx: ReadyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const session = ctx.session(req);
  if (!session) return sendPage(res, 200, signInPage(ctx.paths, null));

  let access: AccountAccess;
  try {
    access = await accountAccess(ctx.github, session.githubToken, session.user);
  } catch (error) {
    if (error instanceof TokenInvalid) {
      ctx.sessions.destroy(session.id);
      const notice: Flash = { kind: "error", accountId: null, provider: null, message: describeError(error), hints: [] };
      return sendPage(res, 200, signInPage(ctx.paths, notice), { cookies: [clearCookie(SESSION_COOKIE)] });
    }
    if (error instanceof ProviderUnavailable || error instanceof ProviderResponseInvalid) {
      return sendPage(res, 502, messagePage(ctx.paths, "Could not reach GitHub", `ci-mender could not ask GitHub which accounts you manage: ${describeError(error)}`));
    }
    throw error;
  }

  const flash = session.flash;
  session.flash = null;
  try {
    const accounts = await Promise.all(
      access.administered.map(async (account) => {
        const stored = await ctx.tokens.list(account.id);
        const cards = TOKEN_PROVIDER_IDS.map((provider) => ({
          account,
          provider,
          guide: PROVIDER_GUIDES[provider],
          available: ctx.provider(provider) !== null,
          metadata: stored.find((metadata) => metadata.provider === provider) ?? null,
          flash: flash?.accountId === account.id && flash.provider === provider ? flash : null,
        }));
        return { account, cards };
      }),
    );
    const cardFlash = flash && accounts.some(({ cards }) => cards.some((card) => card.flash === flash));
    sendPage(
      res,
      200,
      integrationsPage({ paths: ctx.paths, user: session.user, csrf: session.csrf, accounts, refused: access.refused, flash: cardFlash ? null : flash }),
    );
  } catch (error) {
    if (!(error instanceof StoreUnavailable)) throw error;
    sendPage(res, 503, messagePage(ctx.paths, "Token store unavailable", `${describeError(error)}. No token was changed.`));
  }
}
