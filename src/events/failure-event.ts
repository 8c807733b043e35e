/** One failing check, from either a `check_run` or a `status` webhook, in the only shape the pipeline reads. */
export interface FailureEvent {
  /** `X-GitHub-Delivery` of the webhook that reported it. */
  deliveryId: string;
  source: "check_run" | "status";
  installationId: number;
  /**
   * Numeric id of the GitHub account that owns the repository (and so the installation). Tokens are keyed by
   * it, never by a login, which can be renamed and claimed by someone else.
   */
  accountId: number;
  repo: RepoRef;
  /** The commit the check ran on. */
  sha: string;
  /** `details_url` of a check run or `target_url` of a status; parsed, never fetched. */
  url: string | null;
  /** Status context, or the check run's name. */
  context: string;
  /** Slug of the GitHub App that created the check run; null for statuses. */
  appSlug: string | null;
  /** `check_run.external_id`, where providers put their own ids (CircleCI: workflow id). */
  externalId: string | null;
  /** `check_run.id`; for GitHub Actions this is also the job id. */
  checkRunId: number | null;
  /** `failure`, `timed_out`, `startup_failure`, `error`, ... */
  conclusion: string;
  /** Open PRs whose head is this commit, as a check run's payload lists them (same-repository PRs only). */
  pullRequests: PullRequestHead[];
}

export interface PullRequestHead {
  number: number;
  headSha: string;
}

export interface RepoRef {
  id: number;
  owner: string;
  name: string;
  /** `owner/name` as GitHub spells it. */
  fullName: string;
  private: boolean;
}

/** What a check that went green tells us: which PR comments may now be marked resolved. */
export interface SuccessEvent {
  deliveryId: string;
  installationId: number;
  accountId: number;
  repo: RepoRef;
  sha: string;
  context: string;
  appSlug: string | null;
  pullRequests: PullRequestHead[];
}
