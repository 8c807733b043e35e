import type { TokenProviderId } from "../providers/types.ts";

/** What an admin needs to know to create the right token at each provider. */
export interface ProviderGuide {
  name: string;
  /** Label of the token field: names the kind of token, so the wrong kind is not pasted. */
  tokenLabel: string;
  createUrl: string;
  createLinkText: string;
  steps: string[];
  /** Why a dedicated account or workspace token, and what access is enough. */
  advice: string;
}

export const PROVIDER_GUIDES: Readonly<Record<TokenProviderId, ProviderGuide>> = {
  circleci: {
    name: "CircleCI",
    tokenLabel: "CircleCI personal API token",
    createUrl: "https://app.circleci.com/settings/user/tokens",
    createLinkText: "Create a personal API token at CircleCI",
    steps: [
      "Sign in to CircleCI as the account ci-mender should read builds as.",
      "Open User Settings → Personal API Tokens and choose Create New Token; name it “ci-mender”.",
      "Copy the token at once (CircleCI shows it only once) and paste it here.",
    ],
    advice:
      "Use a service account (for example circleci-integration@yourcompany.com) that can see the projects, so the connection survives people leaving. A project API token will not work: it must be a personal API token.",
  },
  buildkite: {
    name: "Buildkite",
    tokenLabel: "Buildkite API access token",
    createUrl: "https://buildkite.com/user/api-access-tokens/new",
    createLinkText: "Create an API access token at Buildkite",
    steps: [
      "Sign in to Buildkite as the account ci-mender should read builds as.",
      "Open Personal Settings → API Access Tokens → New API Access Token; name it “ci-mender” and choose the organisation.",
      "Select the read scopes read_builds, read_build_logs, read_pipelines, read_organizations, read_artifacts, read_job_env, read_teams, read_user and read_suites. No write scope is needed.",
      "Copy the token at once and paste it here.",
    ],
    advice:
      "Use a service account (for example buildkite-integration@yourcompany.com) that belongs to the organisation, so the connection survives people leaving. Grant read scopes only.",
  },
  bitrise: {
    name: "Bitrise",
    tokenLabel: "Bitrise workspace API token",
    createUrl: "https://app.bitrise.io/",
    createLinkText: "Open Bitrise to create a workspace API token",
    steps: [
      "In Bitrise, open Workspace Settings → Security and choose Create token; name it “ci-mender”.",
      "Set the expiry your security policy asks for.",
      "Under role access choose All apps with the Developer role (or higher).",
      "Copy the token at once and paste it here.",
    ],
    advice:
      "A workspace API token is not tied to a person, so it keeps working when people leave. It needs at least the Developer role on the apps whose builds ci-mender should read; a personal access token is not the right kind.",
  },
};
