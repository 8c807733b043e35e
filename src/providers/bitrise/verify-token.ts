import { NotFound, TokenInvalid } from "../../errors.ts";
import type { TokenCheck, VerifyContext } from "../types.ts";
import { auth, bitriseApi } from "./api.ts";
import { type App, AppsPage, BuildsPage } from "./schema.ts";
import { BITRISE_SLUG } from "./url.ts";

const INVALID = "Invalid Bitrise API token or insufficient permissions";

const HINTS = [
  "Check that you copied the whole workspace token.",
  "Give the token the Developer role (or higher) on the apps ci-mender should read: Bitrise needs it to hand out build logs.",
  "Check that the token has not expired.",
  "Use a Workspace API token (Workspace settings → Security → Create token), not a personal access token.",
  "If in doubt, create a new workspace token with \"All apps\" and the Developer role.",
];

function refused(error: string): TokenCheck {
  return { ok: false, error, hints: HINTS };
}

/**
 * Bitrise reports no scopes; access is a role per app. Reading a build's `bitrise.yml` needs the same Developer
 * role as its log (and reads no log), so it answers "can this token read logs?" on the token's first app.
 */
async function hasDeveloperRole(app: App, token: string, ctx: VerifyContext): Promise<boolean | null> {
  try {
    const latest = bitriseApi(ctx.settings, ["apps", app.slug, "builds"], { limit: "1" });
    const builds = await ctx.http.getJson(latest, BuildsPage, auth(token));
    const build = builds.data.find((candidate) => BITRISE_SLUG.test(candidate.slug));
    if (!build) return null;
    const yml = bitriseApi(ctx.settings, ["apps", app.slug, "builds", build.slug, "bitrise.yml"]);
    for await (const _chunk of ctx.http.bytes(yml, { ...auth(token), maxBytes: 1024 * 1024 })) break;
    return true;
  } catch (error) {
    if (error instanceof TokenInvalid) return false;
    if (error instanceof NotFound) return null;
    throw error;
  }
}

export async function verifyBitriseToken(token: string, ctx: VerifyContext): Promise<TokenCheck> {
  let apps: App[];
  try {
    apps = (await ctx.http.getJson(bitriseApi(ctx.settings, ["apps"], { limit: "50" }), AppsPage, auth(token))).data;
  } catch (error) {
    if (error instanceof TokenInvalid) return refused(INVALID);
    throw error;
  }
  const first = apps.find((app) => BITRISE_SLUG.test(app.slug));
  if (!first) return refused(`${INVALID}: the token has access to no app`);
  const title = first.title ?? first.slug;
  const developer = await hasDeveloperRole(first, token, ctx);
  if (developer === false) {
    return refused(`${INVALID}: the token cannot read the build logs of ${title} (that needs the Developer role)`);
  }

  const warnings: string[] = [];
  if (developer === null) {
    warnings.push(`${title} has no builds yet, so the Developer role needed for build logs could not be checked.`);
  }
  if (token.startsWith("bitpat_")) {
    warnings.push(
      "This is a personal access token: it stops working when its owner leaves the workspace. A Workspace API token does not.",
    );
  }
  return { ok: true, identity: first.owner?.name ?? null, scopes: null, warnings };
}
