import type { TokenProviderId } from "../../ci-kinds.ts";
import type { TokenMetadata } from "../../secrets/token-store.ts";
import type { Account } from "../admin.ts";
import { type Html, html } from "../html.ts";
import type { ProviderGuide } from "../provider-guides.ts";
import type { Flash } from "../sessions.ts";

export interface CardModel {
  account: Account;
  provider: TokenProviderId;
  guide: ProviderGuide;
  /** Whether this build of ci-mender can verify (and so accept) tokens for the provider. */
  available: boolean;
  metadata: TokenMetadata | null;
  flash: Flash | null;
}

export interface FormContext {
  action: string;
  csrf: string;
}

export function cardId(accountId: number, provider: TokenProviderId): string {
  return `card-${accountId}-${provider}`;
}

export function providerCard(card: CardModel, form: FormContext): Html {
  const id = cardId(card.account.id, card.provider);
  const { guide, metadata } = card;
  const state = !metadata ? "idle" : metadata.lastError ? "bad" : "ok";
  const badge = { idle: "Not connected", bad: "Failing", ok: "Connected" }[state];
  return html`<article class="card" id="${id}" aria-labelledby="${id}-title">
<div class="card-head"><h3 id="${id}-title">${guide.name}</h3><span class="badge ${state}">${badge}</span></div>
${metadata ? details(metadata) : html`<p class="muted">ci-mender cannot read ${guide.name} logs for ${card.account.login} yet.</p>`}
${card.flash ? notice(card.flash) : null}
${card.available ? controls(card, form, id) : html`<p class="muted">This version of ci-mender cannot check ${guide.name} tokens yet, so none can be connected.</p>`}
<p class="create"><a href="${guide.createUrl}" rel="noopener noreferrer">${guide.createLinkText}</a></p>
<details class="help">
<summary>How to create the token</summary>
<ol>${guide.steps.map((step) => html`<li>${step}</li>`)}</ol>
${guide.scopes ? html`<p>Why each scope is asked for:</p>
<ul class="scopes">${guide.scopes.map(({ scope, reason }) => html`<li><code>${scope}</code>: ${reason}</li>`)}</ul>` : null}
<p>${guide.advice}</p>
</details>
</article>`;
}

function details(metadata: TokenMetadata): Html {
  return html`<dl>
<dt>Token</dt><dd>ends in <code>${metadata.last4}</code></dd>
<dt>Verified</dt><dd>${metadata.verifiedAt ? time(metadata.verifiedAt) : "never"}</dd>
${metadata.lastError ? html`<dt>Last error</dt><dd>${metadata.lastError}</dd>` : null}
${metadata.updatedBy ? html`<dt>Set by</dt><dd>${metadata.updatedBy}, ${time(metadata.updatedAt)}</dd>` : null}
${metadata.scopes?.length ? html`<dt>Scopes</dt><dd>${metadata.scopes.join(", ")}</dd>` : null}
</dl>`;
}

function controls(card: CardModel, form: FormContext, id: string): Html {
  const name = card.guide.name;
  if (!card.metadata) {
    return tokenForm(card, form, `${id}-connect`, "connect", card.guide.tokenLabel, `Connect ${name}`);
  }
  return html`<form method="post" action="${form.action}">${hidden(card, form, "verify")}<button type="submit">Verify again</button></form>
<details>
<summary>Rotate token</summary>
${tokenForm(card, form, `${id}-rotate`, "rotate", `New ${card.guide.tokenLabel}`, "Replace token")}
</details>
<details>
<summary>Disconnect</summary>
<p class="muted">ci-mender forgets the token and stops reading ${name} logs for ${card.account.login}.</p>
<form method="post" action="${form.action}">${hidden(card, form, "disconnect")}<button type="submit" class="danger">Disconnect ${name}</button></form>
</details>`;
}

function tokenForm(card: CardModel, form: FormContext, inputId: string, action: "connect" | "rotate", label: string, button: string): Html {
  return html`<form method="post" action="${form.action}" class="row">
${hidden(card, form, action)}
<div class="field"><label for="${inputId}">${label}</label>
<input type="password" id="${inputId}" name="token" required minlength="8" maxlength="1024" autocomplete="off" spellcheck="false" autocapitalize="off"></div>
<button type="submit" class="primary">${button}</button>
</form>`;
}

function hidden(card: CardModel, form: FormContext, action: string): Html {
  return html`<input type="hidden" name="csrf" value="${form.csrf}"><input type="hidden" name="account" value="${card.account.id}"><input type="hidden" name="provider" value="${card.provider}"><input type="hidden" name="action" value="${action}">`;
}

export function notice(flash: Pick<Flash, "kind" | "message" | "hints">): Html {
  return html`<div class="notice ${flash.kind}" role="${flash.kind === "error" ? "alert" : "status"}">
<p>${flash.message}</p>
${flash.hints.length ? html`<ul>${flash.hints.map((hint) => html`<li>${hint}</li>`)}</ul>` : null}
</div>`;
}

function time(iso: string): Html {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return html`${iso}`;
  return html`<time datetime="${date.toISOString()}">${date.toISOString().slice(0, 16).replace("T", " ")} UTC</time>`;
}
