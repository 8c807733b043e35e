import type { Account, Refusal } from "../admin.ts";
import { type Html, html } from "../html.ts";
import type { Flash, SignedInUser } from "../sessions.ts";
import { layout } from "./layout.ts";
import { type CardModel, notice, providerCard } from "./provider-card.ts";

/** Where the pages link and post to, under the public base URL. */
export interface SetupPaths {
  home: string;
  login: string;
  logout: string;
  tokens: string;
}

export interface IntegrationsModel {
  paths: SetupPaths;
  user: SignedInUser;
  csrf: string;
  accounts: { account: Account; cards: CardModel[] }[];
  refused: Refusal[];
  /** A message that belongs to no card. */
  flash: Flash | null;
}

export function integrationsPage(model: IntegrationsModel): Html {
  const form = { action: model.paths.tokens, csrf: model.csrf };
  const body = html`<h1>CI integrations</h1>
<p class="lead">ci-mender reads the logs of failed CircleCI, Buildkite and Bitrise jobs with a token you connect here. Each token is checked with a test call to the provider before it is stored, it is stored encrypted, and only its last four characters are ever shown again.</p>
${model.flash ? notice(model.flash) : null}
${model.accounts.map(
  ({ account, cards }) => html`<section aria-labelledby="account-${account.id}">
<h2 id="account-${account.id}">${account.login} <span class="muted">${account.kind === "organization" ? "organisation" : "personal account"}</span></h2>
<div class="cards">${cards.map((card) => providerCard(card, form))}</div>
</section>`,
)}
${model.accounts.length === 0 ? html`<section class="panel"><h2>No account to manage</h2><p>ci-mender is not installed on an account you administer. Install the app on your organisation, or ask an owner of the organisation to connect its CI providers.</p></section>` : null}
${model.refused.length
  ? html`<section aria-labelledby="refused"><h2 id="refused">Other accounts</h2><ul>${model.refused.map(
      (refusal) => html`<li><strong>${refusal.account.login}</strong>: ${refusal.reason}</li>`,
    )}</ul></section>`
  : null}`;
  const header = html`<form method="post" action="${model.paths.logout}"><span>Signed in as <strong>${model.user.login}</strong></span><input type="hidden" name="csrf" value="${model.csrf}"><button type="submit" class="link">Sign out</button></form>`;
  return layout({ title: "CI integrations", home: model.paths.home, header, body });
}

export function signInPage(paths: SetupPaths, message: Flash | null): Html {
  const body = html`<section class="panel">
<h1>Connect your CI to ci-mender</h1>
${message ? notice(message) : null}
<p>Owners of an organisation that installed ci-mender connect its CircleCI, Buildkite and Bitrise tokens here, so ci-mender can read the logs of failed jobs and explain them on pull requests.</p>
<p>Sign in with GitHub to see the accounts you administer. ci-mender asks GitHub who you are and which organisations you own; it does not act as you anywhere else.</p>
<p><a class="button primary" href="${paths.login}">Sign in with GitHub</a></p>
</section>`;
  return layout({ title: "Sign in", home: paths.home, body });
}

export function messagePage(paths: SetupPaths, title: string, message: string, hints: string[] = []): Html {
  const body = html`<section class="panel">
<h1>${title}</h1>
<p>${message}</p>
${hints.length ? html`<ul>${hints.map((hint) => html`<li>${hint}</li>`)}</ul>` : null}
<p><a href="${paths.home}">Back to the setup page</a></p>
</section>`;
  return layout({ title, home: paths.home, body });
}
