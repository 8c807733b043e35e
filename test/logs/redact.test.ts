import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED } from "../../src/logs/redact.ts";
import { LINE_CUT_MARK } from "../../src/logs/line-cut.ts";

// Secret-shaped values are assembled at run time so this file holds no string a secret scanner would flag.
const rand = (chars: string, n: number, seed = 7): string => {
  let out = "";
  let x = seed;
  for (let i = 0; i < n; i += 1) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += chars[x % chars.length];
  }
  return out;
};
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const planted: Array<[string, string]> = [
  ["GitHub classic token", ["gh", "p_", rand(ALNUM, 36)].join("")],
  ["GitHub OAuth token", ["gh", "o_", rand(ALNUM, 36, 2)].join("")],
  ["GitHub app token", ["gh", "s_", rand(ALNUM, 36, 3)].join("")],
  ["GitHub refresh token", ["gh", "r_", rand(ALNUM, 36, 4)].join("")],
  ["GitHub fine-grained token", ["github", "_pat_", rand(ALNUM + "_", 82, 5)].join("")],
  ["CircleCI personal token", ["CCI", "PAT_", rand(ALNUM, 22, 6), "_", rand(HEX, 40, 7)].join("")],
  ["Buildkite token", ["bk", "ua_", rand(LOWER, 40, 8)].join("")],
  ["AWS access key id", ["AK", "IA", rand(B32, 16, 9)].join("")],
  ["npm token", ["np", "m_", rand(ALNUM, 36, 10)].join("")],
  ["GitLab token", ["gl", "pat-", rand(ALNUM, 20, 11)].join("")],
  ["Slack bot token", ["xo", "xb-", rand("0123456789", 12, 12), "-", rand("0123456789", 12, 13), "-", rand(ALNUM, 24, 14)].join("")],
  ["Stripe key", ["sk", "_live_", rand(ALNUM, 24, 15)].join("")],
  ["Google API key", ["AI", "za", rand(ALNUM + "_-", 35, 16)].join("")],
  ["Anthropic key", ["sk-", "ant-api03-", rand(ALNUM + "_-", 93, 17), "AA"].join("")],
  ["OpenAI project key", ["sk-", "proj-", rand(ALNUM, 74, 18), "T3Blbk", "FJ", rand(ALNUM, 74, 19)].join("")],
  ["JWT", ["ey", rand(ALNUM, 20, 20), ".ey", rand(ALNUM, 30, 21), ".", rand(ALNUM + "_-", 43, 22)].join("")],
];

describe("createRedactor: the pattern set", () => {
  const redact = createRedactor([]);

  it.each(planted)("removes a %s wherever it appears in a line", (_name, secret) => {
    for (const line of [secret, `token ${secret} used`, `"${secret}",`, `x=${secret}&y=1`]) {
      const out = redact(line);
      expect(out).not.toContain(secret);
      expect(out).toContain(REDACTED);
    }
  });

  it("removes legacy 40-hex CircleCI and Buildkite tokens near their names", () => {
    const hex = rand(HEX, 40, 30);
    expect(redact(`export CIRCLE_TOKEN=${hex}`)).not.toContain(hex);
    expect(redact(`${hex} is the circleci token`)).not.toContain(hex);
    const bk = rand(LOWER, 40, 31);
    expect(redact(`buildkite api token: ${bk}`)).not.toContain(bk);
  });

  it("removes a private key block, also when it is cut before its end", () => {
    const body = rand(ALNUM + "+/", 64, 32);
    const key = ["-----BEGIN RSA PRIVATE KEY-----", body, body, "-----END RSA PRIVATE KEY-----"].join("\n");
    expect(redact(`key:\n${key}\nafter`)).toBe(`key:\n${REDACTED}\nafter`);
    expect(redact(`-----BEGIN OPENSSH PRIVATE KEY-----\n${body}`)).toBe(REDACTED);
  });

  it("removes credentials in headers, URLs and assignments", () => {
    const value = rand(ALNUM, 32, 33);
    expect(redact(`curl -H "Authorization: Bearer ${value}" https://api.example.com`)).toBe(
      `curl -H "Authorization: Bearer ${REDACTED}" https://api.example.com`,
    );
    expect(redact(`Authorization: token ${value}`)).toBe(`Authorization: token ${REDACTED}`);
    expect(redact(`Circle-Token: ${value}`)).toBe(`Circle-Token: ${REDACTED}`);
    expect(redact(`git clone https://x-access-token:${value}@github.com/o/r.git`)).toBe(
      `git clone https://x-access-token:${REDACTED}@github.com/o/r.git`,
    );
    expect(redact(`GET https://s3.example.com/log?X-Amz-Signature=${value}&X-Amz-Expires=60`)).toBe(
      `GET https://s3.example.com/log?X-Amz-Signature=${REDACTED}&X-Amz-Expires=60`,
    );
    expect(redact(`API_KEY=${value}`)).toBe(`API_KEY=${REDACTED}`);
    expect(redact(`  "client_secret": "${value}"`)).toBe(`  "client_secret": "${REDACTED}"`);
  });

  it("leaves CI mask markers as they are", () => {
    for (const line of ["token=***", "Authorization: Bearer ***", "API_KEY=[MASKED]", "password: [REDACTED]", "https://u:****@host/x"]) {
      expect(redact(line)).toBe(line);
    }
  });

  it("leaves ordinary log text alone", () => {
    for (const line of [
      "expect(received).toBe(expected) // Object.is equality",
      "tokens: 12345678901234",
      "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
      "commit 3f786850e387550fdab836ed7e6dc881de23001b",
      "key: value",
      "Downloading from central: https://repo.maven.apache.org/maven2/org/foo/bar/1.0/bar-1.0.pom",
    ]) {
      expect(redact(line)).toBe(line);
    }
  });
});

describe("createRedactor: exact values", () => {
  const secret = rand(ALNUM, 40, 40);
  const redact = createRedactor([secret, "short"]);

  it("removes the value and its URL-encoded form", () => {
    const special = `p@ss/w0rd+${rand(ALNUM, 12, 41)}`;
    const r = createRedactor([special]);
    expect(r(`x ${special} y`)).toBe(`x ${REDACTED} y`);
    expect(r(`pw=${encodeURIComponent(special)}`)).not.toContain(encodeURIComponent(special));
  });

  it("removes its base64 and base64url forms, also inside a longer encoded value", () => {
    const b64 = Buffer.from(secret).toString("base64");
    expect(redact(`Basic ${b64}`)).not.toContain(b64.slice(0, 20));
    for (const prefix of ["x-access-token:", "a:", "ab:", "user:"]) {
      const inner = Buffer.from(prefix + secret).toString("base64");
      const out = redact(`Authorization: Basic ${inner}`.replace("Authorization: Basic ", "creds "));
      // What remains is at most the few characters that also encode the prefix or the padding.
      const longestKept = Math.max(...out.split(REDACTED).map((part) => part.replace("creds ", "").length));
      expect(longestKept).toBeLessThan(prefix.length + 8);
    }
    const url = Buffer.from(`${secret}??>>`).toString("base64url");
    expect(redact(url)).toContain(REDACTED);
  });

  it("ignores values too short to be secrets", () => {
    expect(redact("a short line")).toBe("a short line");
  });

  it("removes the start of a secret left at the end of a cut line", () => {
    const cut = `token: ${secret.slice(0, 30)}${LINE_CUT_MARK}`;
    expect(redact(cut)).toBe(`token: ${REDACTED}${LINE_CUT_MARK}`);
    expect(redact(`value ${secret.slice(0, 12)}…`)).toBe(`value ${REDACTED}…`);
    expect(redact(`ends with ${secret.slice(0, 9)}`)).toBe(`ends with ${REDACTED}`);
  });
});

describe("createRedactor: linear time", () => {
  const redact = createRedactor([rand(ALNUM, 40, 50)]);
  const MB50 = 50 * 1024 * 1024;

  // Each input is built to make a backtracking pattern retry from every position: if one did, these would not
  // finish within the test timeout.
  it.each([
    ["letters", "a"],
    ["hex", "0123456789abcdef"],
    ["JWT-like runs", "eyJhbGciOi"],
    ["repeated keys", "key=abc "],
    ["URL schemes", "a://b:"],
    ["key headers", "-----BEGIN PRIVATE KEY-----"],
    ["circle words", "circle "],
  ])("finishes on a 50 MB line of %s with no newline", (_name, unit) => {
    const line = unit.repeat(Math.ceil(MB50 / unit.length)).slice(0, MB50);
    const out = redact(line);
    expect(out.length).toBeGreaterThan(0);
  });
});
