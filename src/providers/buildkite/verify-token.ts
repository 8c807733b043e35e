import { TokenInvalid } from "../../errors.ts";
import type { TokenCheck, VerifyContext } from "../types.ts";
import { AccessToken } from "./schema.ts";

/** The scopes the /setup page asks for: reading builds and their logs, and what the seeds promise admins. */
export const REQUIRED_SCOPES = [
  "read_teams",
  "read_artifacts",
  "read_builds",
  "read_job_env",
  "read_build_logs",
  "read_organizations",
  "read_pipelines",
  "read_user",
  "read_suites",
] as const;

const INVALID = "Invalid Buildkite API token or insufficient permissions";

const HINTS = [
  `Check that the token has all ${REQUIRED_SCOPES.length} scopes: ${REQUIRED_SCOPES.join(", ")}.`,
  "Use an API Access Token (Personal Settings → API Access Tokens), not an agent or a registry token.",
  "Check that the token's user belongs to the organization and that the token was granted access to it.",
  "Check that the token has not expired or been revoked; if in doubt, create a new token with the scopes above.",
  "Leave every write scope unticked and GraphQL API access disabled: ci-mender refuses a token that could change anything.",
];

/**
 * More than reading: `write_*`, `delete_*`, `retry_builds`, and `graphql` (GraphQL access is not limited by the
 * REST scopes). Anything but a `read_` scope counts, so a grant Buildkite adds later is refused, not trusted.
 */
function beyondReading(scope: string): boolean {
  return !scope.startsWith("read_");
}

/**
 * `GET /v2/access-token` names the token's scopes, so a token that would fail later (no `read_build_logs`) is
 * refused now, with the missing scopes named. ci-mender only reads: a token that could change anything is refused
 * too, naming what to remove, so a leak of the stored token could never start, cancel or delete a build.
 */
export async function verifyBuildkiteToken(token: string, ctx: VerifyContext): Promise<TokenCheck> {
  let answer: AccessToken;
  try {
    answer = await ctx.http.getJson(new URL("/v2/access-token", ctx.settings.apiOrigins.buildkite), AccessToken, {
      provider: "Buildkite",
      headers: { authorization: `Bearer ${token}` },
    });
  } catch (error) {
    if (error instanceof TokenInvalid) return { ok: false, error: INVALID, hints: HINTS };
    throw error;
  }
  const granted = new Set(answer.scopes);
  const missing = REQUIRED_SCOPES.filter((scope) => !granted.has(scope));
  if (missing.length > 0) {
    const list = missing.join(", ");
    return { ok: false, error: `${INVALID}: the token is missing the scope${missing.length > 1 ? "s" : ""} ${list}`, hints: HINTS };
  }
  const write = answer.scopes.filter(beyondReading);
  if (write.length > 0) {
    return {
      ok: false,
      error: `ci-mender only reads, and this Buildkite token grants more: remove ${write.join(", ")} (or create a token with the nine read scopes only)`,
      hints: HINTS,
    };
  }
  const warnings: string[] = [];
  if (answer.expires_at) warnings.push(`The token expires at ${answer.expires_at}; reconnect Buildkite with a new token before then.`);
  return {
    ok: true,
    identity: answer.user?.name ?? answer.description ?? null,
    scopes: answer.scopes,
    warnings,
  };
}
