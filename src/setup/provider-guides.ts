import type { TokenProviderId } from "../ci-kinds.ts";
import type { REQUIRED_SCOPES } from "../providers/buildkite/verify-token.ts";

/** A scope the token must grant, and why ci-mender asks for it. */
export interface ScopeReason {
  scope: string;
  reason: string;
}

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
  /** Each scope the token must grant, for providers with scopes. */
  scopes?: readonly ScopeReason[];
}

/** Typed by the scopes the verification requires, so a scope cannot be asked for without a reason. */
const BUILDKITE_SCOPE_REASONS: Readonly<Record<(typeof REQUIRED_SCOPES)[number], string>> = {
  read_builds: "to read the failed build and find which of its jobs failed.",
  read_build_logs: "to download each failed job's log, the text ci-mender explains.",
  read_pipelines: "to see the pipeline's repository, so a build is only read for the repository that reported it.",
  read_organizations: "to reach builds under the organisation the token was granted, and tell a missing build from a hidden one.",
  read_job_env: "to read a job's commit and branch variables when the job itself does not say which commit it ran.",
  read_artifacts: "to read test reports (JUnit XML and the like) a job uploads, which name failing tests its log may only summarise.",
  read_suites: "to read Test Engine suites, where failed test runs are recorded with their errors.",
  read_teams: "to tell a pipeline the token's user cannot see (team access) from one that does not exist.",
  read_user: "to show on this card which account the token acts as, so you know whose access it is.",
};

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
      "Select the read scopes read_builds, read_build_logs, read_pipelines, read_organizations, read_artifacts, read_job_env, read_teams, read_user and read_suites. Leave every write scope unticked and GraphQL API access disabled: a token that grants either is refused.",
      "Copy the token at once and paste it here.",
    ],
    advice:
      "Use a service account (for example buildkite-integration@yourcompany.com) that belongs to the organisation, so the connection survives people leaving. Grant read scopes only.",
    scopes: Object.entries(BUILDKITE_SCOPE_REASONS).map(([scope, reason]) => ({ scope, reason })),
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
