import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions } from "probot";
import { withoutQuery } from "./access-log.ts";
import { type ReadyContext, type SetupDeps, createContext } from "./context.ts";
import { sendPage } from "./responses.ts";
import { showIntegrations } from "./routes/integrations.ts";
import { finishSignIn, signOut, startSignIn } from "./routes/sign-in.ts";
import { changeToken } from "./routes/token-form.ts";
import { messagePage } from "./views/pages.ts";

export type { SetupDeps } from "./context.ts";
export { accessLogRedaction } from "./access-log.ts";

export type Handler = Parameters<ApplicationFunctionOptions["addHandler"]>[0];

type Route = (ctx: ReadyContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => void | Promise<void>;

const ROUTES = new Map<string, Partial<Record<"GET" | "POST", Route>>>([
  ["/setup", { GET: showIntegrations }],
  ["/setup/login", { GET: (ctx, _req, res) => startSignIn(ctx, res) }],
  ["/setup/callback", { GET: finishSignIn }],
  ["/setup/logout", { POST: signOut }],
  ["/setup/tokens", { POST: changeToken }],
]);

/**
 * The /setup pages, as a Probot `addHandler` handler: org admins sign in with GitHub and connect, rotate,
 * verify and disconnect CI tokens. Any other path returns false so the next handler gets the request.
 */
export function createSetupHandler(deps: SetupDeps): Handler {
  const ctx = createContext(deps);
  const ready: ReadyContext | null = ctx.github && !ctx.misconfigured ? { ...ctx, github: ctx.github } : null;
  const prefix = ctx.paths.home.slice(0, -"/setup".length);

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://setup.invalid");
    const rawPath = url.pathname;
    // Behind a proxy that keeps BASE_URL's path, requests arrive with it; behind one that strips it, without.
    const path = prefix && rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
    const methods = ROUTES.get(path);
    if (!methods) return false;
    // Probot's access log reads req.url when the response ends: the OAuth code and state must not be in it.
    req.url = withoutQuery(req.url ?? "/");
    const route = req.method === "GET" || req.method === "POST" ? methods[req.method] : undefined;
    try {
      if (!route) {
        sendPage(res, 405, messagePage(ctx.paths, "Not allowed", "This address does not answer that kind of request."), {
          headers: { allow: Object.keys(methods).join(", ") },
        });
      } else if (!ready) {
        sendPage(res, 503, messagePage(ctx.paths, "Setup is not configured", ctx.misconfigured ?? ""));
      } else {
        await route(ready, req, res, url.searchParams);
      }
    } catch (error) {
      deps.log.error({ err: error, path }, "setup: request failed");
      if (!res.headersSent) sendPage(res, 500, messagePage(ctx.paths, "Something went wrong", "ci-mender could not finish this request; reload the setup page to see what was saved."));
      else res.end();
    }
    return true;
  };
}
