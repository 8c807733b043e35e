/**
 * Tools print absolute paths inside the CI checkout; the report links files at the commit, so paths are made
 * repository-relative by removing the well-known workspace prefixes of each provider.
 */
const WORKSPACE_PREFIXES: readonly RegExp[] = [
  /^\/home\/runner\/work\/[^/]+\/[^/]+\//, // GitHub Actions, Linux
  /^\/Users\/runner\/work\/[^/]+\/[^/]+\//, // GitHub Actions, macOS
  /^[A-Za-z]:\/a\/[^/]+\/[^/]+\//, // GitHub Actions, Windows (after backslashes become slashes)
  /^\/__w\/[^/]+\/[^/]+\//, // GitHub Actions container jobs
  /^\/github\/workspace\//, // GitHub Actions docker actions
  /^\/home\/circleci\/[^/]+\//, // CircleCI (~/project or a custom working_directory)
  /^\/(?:buildkite|var\/lib\/buildkite-agent)\/builds\/[^/]+\/[^/]+\/[^/]+\//, // Buildkite
  /^\/builds\/[^/]+\/[^/]+\//, // GitLab
  /^\/bitrise\/src\//, // Bitrise
  /^\/home\/travis\/build\/[^/]+\/[^/]+\//, // Travis CI
  /^\/drone\/src\//, // Drone
  /^\/opt\/atlassian\/pipelines\/agent\/build\//, // Bitbucket Pipelines
  /^\/workspace\//, // Google Cloud Build
];

export function repoRelative(path: string): string {
  let p = path.trim();
  if (p.startsWith("file://")) p = p.slice(7);
  if (p.includes("\\")) p = p.replace(/\\/g, "/");
  for (const prefix of WORKSPACE_PREFIXES) {
    const m = prefix.exec(p);
    if (m) return p.slice(m[0].length);
  }
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}
