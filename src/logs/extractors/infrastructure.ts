import type { Draft } from "./types.ts";
import { clip } from "./text.ts";

interface Signal {
  pattern: RegExp;
  kind: "infrastructure" | "timeout";
  title: (m: RegExpExecArray) => string;
  /** Network trouble: installers retry, so it explains a failure only when nothing else does. */
  weak?: boolean;
}

/** Node's (and npm's) codes for a connection that failed; also what the npm extractor leaves to this rule. */
export const NETWORK_CODES: readonly string[] = ["ECONNRESET", "ETIMEDOUT", "ESOCKETTIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "ECONNREFUSED", "ENETUNREACH"];

const SIGNALS: readonly Signal[] = [
  {
    pattern: /The (?:hosted |self-hosted )?runner(?:: .+?)? (?:has )?lost communication with the server|The runner has received a shutdown signal|lost communication with the server/,
    kind: "infrastructure",
    title: () => "The CI runner was lost before the job finished",
  },
  {
    pattern: /ERROR: Job failed \(system failure\)|Unexpected infrastructure error|agent (?:was )?lost|Agent Lost/i,
    kind: "infrastructure",
    title: () => "The CI runner failed (a problem on the CI side, not in the code)",
  },
  {
    pattern: /JavaScript heap out of memory|java\.lang\.OutOfMemoryError|^MemoryError\b|fatal error: runtime: out of memory|Cannot allocate memory|OOMKilled|Out of memory: Killed process|^(?:.*: )?(?:line \d+: )?\d+ Killed\b|^Killed$|Received "killed" signal|signal: killed/,
    kind: "infrastructure",
    title: () => "The job ran out of memory (the process was killed)",
  },
  {
    pattern: /Too long with no output \(exceeded ([^)]+)\)/,
    kind: "timeout",
    title: (m) => `The job timed out: no output for ${m[1]}`,
  },
  {
    pattern: /has exceeded the maximum execution time of ([\d.]+ \w+)|execution took longer than (\S+)|The job exceeded the maximum time limit|Job timed out|Build timed out|timed out after (\d+ \w+) of inactivity/,
    kind: "timeout",
    title: (m) => `The job timed out${m[1] || m[2] ? ` after ${m[1] ?? m[2]}` : ""}`,
  },
  {
    pattern: new RegExp(
      `\\b(${NETWORK_CODES.join("|")})\\b|` +
        /(Connection reset by peer|Connection timed out|Connection refused|Failed to establish a new connection|Max retries exceeded|Temporary failure in name resolution|Could not resolve host|TLS handshake timeout|i\/o timeout|Network is unreachable|socket hang up|The remote end hung up unexpectedly|RPC failed|Could not transfer artifact|Cannot access \S+ \(\S+\) in offline mode|spurious network error|toomanyrequests|502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)/.source,
    ),
    kind: "infrastructure",
    title: (m) => `Network error while downloading dependencies${registryHint(m.input)} (${m[1] ?? m[2]})`,
    weak: true,
  },
];

const REGISTRIES: ReadonlyArray<[RegExp, string]> = [
  [/\bnpm (?:error|ERR!)|registry\.npmjs\.org|registry\.yarnpkg\.com|\byarn\b|\bpnpm\b/, "the npm registry"],
  [/\bpip\b|pypi\.org|files\.pythonhosted\.org|\/simple\/|urllib3/, "the Python package index"],
  [/maven|\.m2\/|repo1?\.maven|Could not transfer artifact|Cannot access central/i, "a Maven repository"],
  [/gradle/i, "a Gradle repository"],
  [/proxy\.golang\.org|sum\.golang\.org|go: /, "the Go module proxy"],
  [/crates\.io|index\.crates|cargo/, "crates.io"],
  [/rubygems|bundle(?:r)?\b/i, "RubyGems"],
  [/docker|registry-1|ghcr\.io|toomanyrequests/i, "a container registry"],
  [/deb\.debian\.org|archive\.ubuntu\.com|security\.ubuntu|apt/, "the apt mirrors"],
  [/github\.com|git@|fatal: unable to access|remote end hung up|RPC failed/, "GitHub (git)"],
];

const LOOPBACK = /\b(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost)\b|\[::1\]/;

function registryHint(line: string): string {
  for (const [pattern, name] of REGISTRIES) if (pattern.test(line)) return ` from ${name}`;
  return "";
}

/**
 * Failures that are not the code's fault: a lost runner, the memory limit, a timeout, the network to a package
 * registry. They show in the last lines before a failing exit, so they are looked for there (not on every line of
 * the log). Titles say what happened plainly. Network errors are weak: installers retry and often recover.
 */
export function infrastructureFailures(stepLines: readonly string[]): Draft[] {
  const out: Draft[] = [];
  let network: Draft | undefined;
  // A refused connection to a service the job started itself (a database on 127.0.0.1) is not a registry's
  // fault: when that is the only network trouble named, the generic fallback shows the error as it is.
  let localService = false;
  let registry = false;
  stepLines.forEach((line, i) => {
    for (const signal of SIGNALS) {
      const m = signal.pattern.exec(line);
      if (!m) continue;
      if (signal.weak) {
        if (registryHint(line) !== "") registry = true;
        else if (LOOPBACK.test(line)) localService = true;
        // Installers print several lines about one network failure; the first names it, the rest add detail.
        if (network === undefined) {
          network = draft(signal, m, line, stepLines.slice(Math.max(0, i - 2), i));
          network.weak = true;
        } else if (network.excerpt.length < 8) {
          network.excerpt.push(clip(line));
        }
      } else if (!out.some((d) => d.title === signal.title(m))) {
        out.push(draft(signal, m, line, stepLines.slice(Math.max(0, i - 2), i)));
      }
      return;
    }
  });
  return network && (registry || !localService) ? [...out, network] : out;
}

/** Maven names the goal and project before the reason; the reason is what a reader needs. */
const MAVEN_GOAL = /Failed to execute goal \S+ (?:\([^)]*\) )?on project [^:]+: (?:Execution \S+ of goal \S+ failed: )?(.*)$/;

function draft(signal: Signal, m: RegExpExecArray, line: string, before: readonly string[]): Draft {
  return {
    kind: signal.kind,
    tool: "ci",
    title: signal.title(m),
    message: clip(MAVEN_GOAL.exec(line)?.[1] ?? line.trim()),
    excerpt: [...before.filter((l) => l.trim() !== ""), line].map((l) => clip(l)),
  };
}
