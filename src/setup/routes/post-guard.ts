import type { IncomingMessage, ServerResponse } from "node:http";
import { type SetupContext, LIMITS } from "../context.ts";
import { readForm } from "../form.ts";
import { sendPage } from "../responses.ts";
import { sameSecret } from "../secure-random.ts";
import type { SetupSession } from "../sessions.ts";
import { messagePage } from "../views/pages.ts";

const NOTHING_CHANGED = "Nothing was changed.";

/**
 * Every form post passes here before anything is read from or written to a store: it must come from a page of
 * this app (Origin), be a small url-encoded form, belong to a live session, carry that session's CSRF token,
 * and stay within the rate limit. On refusal the answer is written and null returned.
 */
export async function checkPost(
  ctx: SetupContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ session: SetupSession; form: URLSearchParams } | null> {
  const refuse = (status: number, title: string, message: string, reason: string) => {
    ctx.log.warn({ reason, path: req.url }, "setup: form refused");
    sendPage(res, status, messagePage(ctx.paths, title, `${message} ${NOTHING_CHANGED}`));
    return null;
  };

  const origin = req.headers.origin;
  if (origin !== ctx.config.baseUrl.origin) {
    return refuse(
      403,
      "Form refused",
      `This form was not sent from ${ctx.config.baseUrl.origin}, so ci-mender did not accept it.`,
      origin ? "foreign origin" : "no origin",
    );
  }
  const body = await readForm(req, LIMITS.formBytes);
  if (!body.ok) return refuse(body.status, "Form refused", body.message, `unreadable form (${body.status})`);
  const session = ctx.session(req);
  if (!session) return refuse(401, "Signed out", "Your session has ended; sign in again.", "no session");
  if (!sameSecret(session.csrf, body.form.get("csrf") ?? undefined)) {
    return refuse(403, "Form expired", "This form is out of date or did not come from the setup page; reload the page and try again.", "csrf mismatch");
  }
  if (!ctx.postLimiter.take(session.id)) {
    return refuse(429, "Too many changes", "You made many changes in the last minute; wait a minute and try again.", "rate limited");
  }
  return { session, form: body.form };
}
