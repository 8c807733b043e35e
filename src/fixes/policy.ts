/**
 * Paths a fix may never touch, whoever proposed it: CI configuration (a change there runs with the repository's
 * secrets on the next push, and an App token may not write workflows anyway), git internals, and files that make
 * tools fetch or run code (package manifests' scripts, lock files, registry settings, code owners).
 */
const FORBIDDEN: ReadonlyArray<{ test: RegExp; why: string }> = [
  { test: /^\.github\/(?:workflows|actions)\//i, why: "GitHub Actions workflows and actions are CI configuration" },
  { test: /^\.github\/(?:CODEOWNERS|dependabot\.ya?ml|ci-mender\.ya?ml)$/i, why: "repository automation settings" },
  { test: /^(?:\.circleci|\.buildkite|\.azure-pipelines|\.woodpecker|\.drone)\//i, why: "CI configuration" },
  {
    test: /(?:^|\/)(?:bitrise\.ya?ml|\.gitlab-ci\.ya?ml|Jenkinsfile|\.travis\.ya?ml|azure-pipelines\.ya?ml|appveyor\.ya?ml|\.appveyor\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml|codemagic\.ya?ml|cloudbuild\.ya?ml|buildspec\.ya?ml|\.semaphore\/.*|\.cirrus\.ya?ml|bitbucket-pipelines\.yml)$/i,
    why: "CI configuration",
  },
  { test: /(?:^|\/)\.git(?:\/|$)|(?:^|\/)\.gitmodules$/i, why: "git metadata" },
  {
    test: /(?:^|\/)(?:package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|\.npmrc|\.yarnrc(?:\.yml)?|Cargo\.lock|go\.sum|poetry\.lock|Pipfile\.lock|uv\.lock|Gemfile\.lock|composer\.lock)$/i,
    why: "package manifests, lock files and registry settings decide what code is fetched and run",
  },
];

/** Why a path is not a valid fix target, or null when it is a plain repository-relative path a fix may change. */
export function pathRefusal(path: string): string | null {
  if (path.length === 0 || path.length > 400) return "an empty or overlong path";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return `${JSON.stringify(path)} has control characters or backslashes`;
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return `${path} is not inside the repository`;
  const segments = path.split("/");
  if (segments.some((s) => s === ".." || s === "." || s === "")) return `${path} is not inside the repository`;
  for (const rule of FORBIDDEN) if (rule.test.test(path)) return `${path} is off limits (${rule.why})`;
  return null;
}
