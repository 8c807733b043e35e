/**
 * Names every part of ci-mender may import: which CI providers exist, which of them take a token an org admin
 * pastes, and where a provider's log-reading credential comes from. Kept apart from `providers/` so that
 * `secrets/`, `report/` and `setup/` name a provider without reaching into the code that talks to it.
 */

export const PROVIDER_IDS = [
  "circleci",
  "buildkite",
  "bitrise",
  "github-actions",
] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** Providers whose token an org admin pastes at /setup (GitHub Actions uses the installation's own token). */
export const TOKEN_PROVIDER_IDS = [
  "circleci",
  "buildkite",
  "bitrise",
] as const satisfies readonly ProviderId[];
export type TokenProviderId = (typeof TOKEN_PROVIDER_IDS)[number];

/** Where the credential that reads a provider's logs comes from. */
export type CredentialKind =
  /** A token an org admin connected at /setup, stored per GitHub account under `provider`. */
  | { kind: "org-token"; provider: TokenProviderId }
  /** The GitHub App installation's own token (GitHub Actions): nothing to connect. */
  | { kind: "github-installation" };

export function isTokenProviderId(value: string): value is TokenProviderId {
  return (TOKEN_PROVIDER_IDS as readonly string[]).includes(value);
}
