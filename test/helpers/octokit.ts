import { ProbotOctokit } from "probot";
import type { Octokit } from "../../src/report/publish.ts";

/** Probot's own Octokit (config plugin included) with an installation token, no retries or throttling. */
export function testOctokit(): Octokit {
  return new ProbotOctokit({
    auth: { token: "ghs_TestInstallationToken000000000000000" },
    retry: { enabled: false },
    throttle: { enabled: false },
  }) as Octokit;
}
