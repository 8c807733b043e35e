import type { GitHub, Installation } from "./github.ts";
import type { SignedInUser } from "./sessions.ts";

export interface Account {
  /** GitHub's numeric account id: the key tokens are stored under. */
  id: number;
  login: string;
  kind: "organization" | "user";
  installationId: number;
}

export interface Refusal {
  account: Account;
  /** Why this user cannot manage the account, in words for them. */
  reason: string;
}

export interface AccountAccess {
  administered: Account[];
  refused: Refusal[];
}

/**
 * Which accounts that installed the app this user may manage, asked of GitHub with the user's own token: the
 * installation must be in `GET /user/installations`, and for an organisation the user must be an active admin
 * (`GET /user/memberships/orgs/{org}`); a personal account is managed by its owner alone.
 */
export async function accountAccess(github: GitHub, token: string, user: SignedInUser): Promise<AccountAccess> {
  const installations = await github.installations(token);
  const decisions = await Promise.all(installations.map((installation) => decide(github, token, user, installation)));
  return {
    administered: decisions.filter((d): d is Account => !("reason" in d)).sort(byLogin),
    refused: decisions.filter((d): d is Refusal => "reason" in d).sort((a, b) => byLogin(a.account, b.account)),
  };
}

/** Fresh from GitHub on every change: rights removed since sign-in take effect at once. */
export async function requireAdmin(
  github: GitHub,
  token: string,
  user: SignedInUser,
  accountId: number,
): Promise<{ ok: true; account: Account } | { ok: false; reason: string }> {
  const installation = (await github.installations(token)).find((candidate) => candidate.account.id === accountId);
  if (!installation) return { ok: false, reason: "ci-mender is not installed on that account, or you cannot see its installation." };
  const decision = await decide(github, token, user, installation);
  return "reason" in decision ? { ok: false, reason: decision.reason } : { ok: true, account: decision };
}

async function decide(github: GitHub, token: string, user: SignedInUser, installation: Installation): Promise<Account | Refusal> {
  const { account: raw } = installation;
  const account: Account = {
    id: raw.id,
    login: raw.login,
    kind: raw.type === "Organization" ? "organization" : "user",
    installationId: installation.id,
  };
  if (raw.type === "User") {
    return raw.id === user.id ? account : { account, reason: `Only ${raw.login} can manage their personal account.` };
  }
  if (raw.type !== "Organization") return { account, reason: `ci-mender cannot manage ${raw.type} accounts from this page.` };
  const membership = await github.membership(token, raw.login);
  if (membership.kind === "member" && membership.role === "admin" && membership.state === "active") return account;
  if (membership.kind === "forbidden") {
    return {
      account,
      reason: `GitHub did not let ci-mender check your role in ${raw.login}. The app needs the organisation permission “Members: read”, and the organisation must allow the app.`,
    };
  }
  return { account, reason: `You need to be an owner of ${raw.login} to connect CI providers for it.` };
}

function byLogin(a: Account, b: Account): number {
  return a.login.localeCompare(b.login);
}
