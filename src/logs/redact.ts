import { LINE_CUT_MARK } from "./line-cut.ts";

export const REDACTED = "[REDACTED]";

/** Values CI systems print in place of a masked secret; they stay exactly as printed. */
const MASK_MARKER = /^(?:\*{3,}|\[MASKED\]|\[REDACTED\]|\[FILTERED\]|<redacted>)$/i;

/** Shortest secret value matched exactly; shorter strings would redact ordinary words. */
const MIN_SECRET = 6;
/** A secret at least this long is also removed when only its start is visible at the end of a (cut) line. */
const MIN_PARTIAL_SECRET = 8;
const MIN_PARTIAL_PREFIX = 4;

interface Rule {
  pattern: RegExp;
  /** Index of the capture group holding the secret; the rest of the match stays visible. 0 = the whole match. */
  group: number;
  /** Extra check on the captured value (entropy for the generic rule). */
  accept?: (value: string) => boolean;
}

/*
 * The pattern set of security-reliability.md §1a. Every pattern is linear on V8's backtracking engine: it starts at a
 * literal or behind a negative lookbehind that fails inside a run, and every repetition is bounded (an unbounded one
 * over a 50 MB run would also overflow the engine's backtracking stack).
 */
const RULES: readonly Rule[] = [
  { pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[0-9A-Za-z]{36}|github_pat_\w{82})(?![A-Za-z0-9_])/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_])CCIPAT_[A-Za-z0-9]{22}_[a-fA-F0-9]{40}(?![A-Za-z0-9])/g, group: 0 },
  { pattern: /(circle[^\n]{0,40}?)(?<![A-Za-z0-9])([a-f0-9]{40})(?![A-Za-z0-9])/gi, group: 2 },
  { pattern: /(?<![A-Za-z0-9])([a-f0-9]{40})(?![A-Za-z0-9])(?=[^\n]{0,40}?circle)/gi, group: 1 },
  { pattern: /(?<![A-Za-z0-9_])bkua_[a-z0-9]{40}(?![A-Za-z0-9])/g, group: 0 },
  { pattern: /((?:buildkite|BUILDKITE|Buildkite)[^\n]{0,40}?)(?<![A-Za-z0-9])([a-z0-9]{40})(?![A-Za-z0-9])/g, group: 2 },
  { pattern: /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_])glpat-[0-9A-Za-z_-]{20}(?![A-Za-z0-9_-])/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_-])xox[abposr]-[0-9A-Za-z-]{10,250}/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_])xapp-\d-[A-Z0-9]{1,64}-\d{1,32}-[a-z0-9]{1,128}/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,99}(?![A-Za-z0-9])/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_-])AIza[\w-]{35}(?![\w-])/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,120}/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_-])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}/g, group: 0 },
  { pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}(?![A-Za-z0-9])/g, group: 0 },
  {
    pattern: /(?<![A-Za-z0-9_-])ey[A-Za-z0-9_-]{17,4096}\.ey[A-Za-z0-9_-]{17,4096}(?:\.[A-Za-z0-9_-]{10,4096}={0,2})?/g,
    group: 0,
  },
  { pattern: /(authorization\s{0,20}:\s{0,20}(?:bearer|basic|token|bot|digest)\s{1,20})([^\s"',;]{1,4096})/gi, group: 2 },
  { pattern: /((?:circle-token|private-token|job-token|x-api-key|api-key|x-auth-token)\s{0,20}:\s{0,20})([^\s"',;]{1,4096})/gi, group: 2 },
  { pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/[^/\s:@]{1,256}:)([^/\s@]{1,256})(?=@)/gi, group: 2 },
  {
    pattern:
      /([?&](?:circle-token|access_token|refresh_token|id_token|token|key|api_key|apikey|sig|signature|client_secret|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)=)([^&\s"'#<>]{1,4096})/gi,
    group: 2,
  },
  {
    // gitleaks' generic-api-key, anchored on the keyword itself so a long run of letters costs one pass.
    pattern:
      /((?:access|auth|api|credential|creds|key|passwd|password|pwd|secret|token)[\w.-]{0,20}["']?\s{0,5}(?:=|:|:=|=>)\s{0,5}["']?)([\w\-+/.=~@$%^&!]{10,150})(?![\w\-+/.=~@$%^&!])/gi,
    group: 2,
    accept: (value) => shannonEntropy(value) >= 3.5,
  },
];

const PRIVATE_KEY_HEADER = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/y;
const PRIVATE_KEY_FOOTER = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * Builds the redaction for one organisation: the exact secret values it holds (with their base64, base64url and
 * URL-encoded forms, also when encoded inside a longer value such as `x-access-token:<token>`), then the pattern set.
 * CI mask markers are left as printed. Linear in the text length.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const values = [...new Set(secrets.map((s) => s.trim()).filter((s) => s.length >= MIN_SECRET))];
  const forms = new Set<string>();
  for (const value of values) for (const form of encodedForms(value)) forms.add(form);
  const exact =
    forms.size === 0
      ? undefined
      : new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"), "g");
  const partials = values.filter((v) => v.length >= MIN_PARTIAL_SECRET);

  return (text: string): string => {
    let out = text;
    if (exact) out = out.replace(exact, REDACTED);
    if (partials.length > 0) out = redactTrailingPartials(out, partials);
    out = redactPrivateKeys(out);
    for (const rule of RULES) out = applyRule(out, rule);
    return out;
  };
}

function applyRule(text: string, rule: Rule): string {
  rule.pattern.lastIndex = 0;
  if (!rule.pattern.test(text)) return text;
  rule.pattern.lastIndex = 0;
  return text.replace(rule.pattern, (match: string, ...args: unknown[]) => {
    const value = rule.group === 0 ? match : (args[rule.group - 1] as string);
    if (MASK_MARKER.test(value) || value === REDACTED) return match;
    if (rule.accept && !rule.accept(value)) return match;
    if (rule.group === 0) return REDACTED;
    const before = (args.slice(0, rule.group - 1) as string[]).join("");
    return match.slice(0, before.length) + REDACTED + match.slice(before.length + value.length);
  });
}

/** Every string under which `value` may appear: itself, URL-encoded, and its base64 / base64url cores. */
function encodedForms(value: string): string[] {
  const forms = [value];
  const uri = encodeURIComponent(value);
  if (uri !== value) forms.push(uri);
  const bytes = Buffer.from(value, "utf8");
  // Inside a longer base64 value the secret starts at byte offset 0, 1 or 2 of a 3-byte group; the characters that
  // depend only on the secret's bytes are the same whatever surrounds it.
  for (let offset = 0; offset < 3; offset += 1) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString("base64");
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor(padded.length / 3) * 4;
    const core = encoded.slice(start, end);
    if (core.length >= MIN_SECRET) {
      forms.push(core);
      const url = core.replace(/\+/g, "-").replace(/\//g, "_");
      if (url !== core) forms.push(url);
    }
  }
  return forms;
}

/**
 * A line cut by the splitter (or an excerpt cut short) may end with the start of a secret; when at least
 * MIN_PARTIAL_PREFIX of its characters are visible there, they are redacted.
 */
function redactTrailingPartials(text: string, secrets: readonly string[]): string {
  if (!text.includes("\n")) return redactLineEnd(text, secrets);
  return text
    .split("\n")
    .map((line) => redactLineEnd(line, secrets))
    .join("\n");
}

function redactLineEnd(line: string, secrets: readonly string[]): string {
  const suffix = line.endsWith(LINE_CUT_MARK) ? LINE_CUT_MARK : line.endsWith("…") ? "…" : "";
  const body = line.slice(0, line.length - suffix.length);
  for (const secret of secrets) {
    const head = secret.slice(0, MIN_PARTIAL_PREFIX);
    const windowStart = Math.max(0, body.length - secret.length + 1);
    let at = body.indexOf(head, windowStart);
    while (at !== -1) {
      if (secret.startsWith(body.slice(at))) return body.slice(0, at) + REDACTED + suffix;
      at = body.indexOf(head, at + 1);
    }
  }
  return line;
}

function redactPrivateKeys(text: string): string {
  let at = text.indexOf("-----BEGIN");
  if (at === -1) return text;
  let out = "";
  let from = 0;
  while (at !== -1) {
    PRIVATE_KEY_HEADER.lastIndex = at;
    if (PRIVATE_KEY_HEADER.test(text)) {
      PRIVATE_KEY_FOOTER.lastIndex = PRIVATE_KEY_HEADER.lastIndex;
      const footer = PRIVATE_KEY_FOOTER.exec(text);
      const end = footer ? footer.index + footer[0].length : text.length;
      out += text.slice(from, at) + REDACTED;
      from = end;
      at = text.indexOf("-----BEGIN", end);
    } else {
      at = text.indexOf("-----BEGIN", at + 1);
    }
  }
  return out + text.slice(from);
}

function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
