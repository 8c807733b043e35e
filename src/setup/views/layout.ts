import { createHash } from "node:crypto";
import { Html, html } from "../html.ts";

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #f6f8fa; --card: #fff; --line: #d1d9e0;
  --accent: #0969da; --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --idle-bg: #eff2f5; }
@media (prefers-color-scheme: dark) { :root { --fg: #f0f6fc; --muted: #9198a1; --bg: #0d1117; --card: #151b23;
  --line: #3d444d; --accent: #4493f8; --ok: #3fb950; --ok-bg: #12261e; --bad: #f85149; --bad-bg: #25171c; --idle-bg: #212830; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between;
  padding: .75rem 1.25rem; background: var(--card); border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
header form { display: flex; gap: .75rem; align-items: center; margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1.25rem; }
h1 { font-size: 1.6rem; margin: .25rem 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1.1rem; margin: 0; }
.lead { color: var(--muted); max-width: 48rem; }
.cards { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; display: flex; flex-direction: column; gap: .75rem; }
.card-head { display: flex; justify-content: space-between; align-items: center; gap: .5rem; }
.badge { font-size: .8rem; font-weight: 600; padding: .1rem .6rem; border-radius: 1rem; white-space: nowrap; }
.badge.ok { color: var(--ok); background: var(--ok-bg); }
.badge.bad { color: var(--bad); background: var(--bad-bg); }
.badge.idle { color: var(--muted); background: var(--idle-bg); }
dl { display: grid; grid-template-columns: auto 1fr; gap: .2rem .75rem; margin: 0; font-size: .95rem; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input[type=password] { width: 100%; font: inherit; padding: .55rem .6rem; border: 1px solid var(--line); border-radius: .375rem;
  background: var(--bg); color: var(--fg); min-height: 2.75rem; }
button, .button { font: inherit; font-weight: 600; padding: .5rem 1rem; min-height: 2.75rem; border-radius: .375rem; cursor: pointer;
  border: 1px solid var(--line); background: var(--idle-bg); color: var(--fg); text-decoration: none; display: inline-flex; align-items: center; }
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { color: var(--bad); }
button.link { background: none; border: none; color: var(--accent); padding: 0; min-height: 0; font-weight: 400; text-decoration: underline; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
.field { flex: 1 1 14rem; }
form { margin: 0; }
details { border-top: 1px solid var(--line); padding-top: .5rem; }
summary { cursor: pointer; font-weight: 600; padding: .25rem 0; }
details > *:not(summary) { margin-top: .5rem; }
.notice { border-radius: .375rem; padding: .6rem .8rem; border: 1px solid; }
.notice.success { border-color: var(--ok); background: var(--ok-bg); }
.notice.error { border-color: var(--bad); background: var(--bad-bg); }
.notice p { margin: 0; font-weight: 600; }
.notice ul, .help ol { margin: .35rem 0 0; padding-left: 1.25rem; }
.muted { color: var(--muted); font-size: .95rem; }
.help { font-size: .95rem; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1.25rem; max-width: 40rem; }
.create { margin: 0; font-size: .95rem; }
@media (max-width: 30rem) { main { padding: .75rem; } header { padding: .6rem .75rem; } .cards { grid-template-columns: 1fr; }
  button:not(.link), .button { width: 100%; justify-content: center; } }
`;

// A constant of this module: no outside input reaches it, so it is markup as it stands.
const STYLE = new Html(CSS);

/** The stylesheet is inline and allowed by its hash alone: the pages run no script and load nothing else. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(CSS).digest("base64")}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export function layout(params: { title: string; home: string; header?: Html | null; body: Html }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${params.title} · ci-mender</title>
<style>${STYLE}</style>
</head>
<body>
<header><a class="brand" href="${params.home}">ci-mender</a>${params.header ?? null}</header>
<main id="main">
${params.body}
</main>
</body>
</html>
`;
}
