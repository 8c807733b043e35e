/**
 * Markdown for text we did not write (log lines, test names, job names). Everything from outside passes through
 * here so that it can neither break out of its block, ping anyone, render HTML, nor hide behind invisible
 * characters.
 */

// Bidi controls and zero-width characters can make text read differently from what it is (Trojan Source);
// tag characters (U+E0000–U+E007F) carry whole invisible sentences ("ASCII smuggling").
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u00ad\u{e0000}-\u{e007f}]/gu;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Makes invisible and control characters visible as `<U+XXXX>`. */
export function revealHidden(text: string): string {
  return text
    .replace(INVISIBLE, (ch) => `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`)
    .replace(CONTROL, "");
}

/**
 * Plain text inside a paragraph: markdown and HTML are escaped, `@mentions` and `#refs` defused, and `$` cannot
 * open math. (A bare URL may still be autolinked: GFM links it after escapes are resolved, and its text shows
 * where it goes.)
 */
export function escapeText(text: string): string {
  return revealHidden(text)
    .replace(/\s+/g, " ")
    .replace(/[\\`*_{}[\]()<>#+!|~$]/g, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/@/g, "@\u200b")
    .replace(/^(\s*)-/, "$1\\-")
    .replace(/^(\s*\d+)\./, "$1\\.")
    .trim();
}

/** Text inside raw HTML (a `<summary>`), where markdown escapes do not apply. */
export function escapeHtml(text: string): string {
  return revealHidden(text)
    .replace(/\s+/g, " ")
    .replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
    .replace(/@/g, "@\u200b")
    .trim();
}

/** A one-line code span that no backtick inside can close. */
export function inlineCode(text: string): string {
  const clean = revealHidden(text).replace(/\s+/g, " ").trim() || " ";
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run in the text, so the text cannot close it. */
export function fencedBlock(lines: readonly string[], info = "text"): string {
  const body = lines.map((line) => revealHidden(line)).join("\n");
  const longest = Math.max(0, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/** Link text and URL; the URL must be http(s) and is percent-encoded where markdown would read it. */
export function link(text: string, url: string): string {
  let safe: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return escapeText(text);
    safe = parsed.toString().replace(/[()<> "'`|]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return escapeText(text);
  }
  return `[${escapeText(text)}](${safe})`;
}
