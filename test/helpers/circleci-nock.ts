import nock from "nock";
import { fixtureJson, fixtureText } from "./fixtures.ts";

export const CIRCLECI = "https://circleci.com";
export const CIRCLECI_STORAGE = "https://circle-production-action-output.s3.amazonaws.com";
export const CIRCLECI_TOKEN = "CCIPAT_4kR9wQ2mZx7LpN3vB8cYtE_0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6";

/** v1.1 job details for acme/widgets job 1042 (failed step "npx vitest run"). */
export function nockJobDetails(patch: (job: Record<string, unknown>) => void = () => {}, times = 1): nock.Scope {
  const job = fixtureJson("providers/circleci/v1.1-job-1042-failed.json");
  patch(job);
  return nock(CIRCLECI).get("/api/v1.1/project/github/acme/widgets/1042").times(times).reply(200, job);
}

/** The failed step's output document at its presigned storage URL (edited by `edit`, to plant a line in the log). */
export function nockStepOutput(times = 1, edit: (document: string) => string = (document) => document): nock.Scope {
  return nock(CIRCLECI_STORAGE)
    .get(/^\/b3c2a1f0e9d8c7b6a5f4e3d2-acme-widgets-1042-0\?/)
    .times(times)
    .reply(200, edit(fixtureText("providers/circleci/step-output.vitest-failed.json")), { "content-type": "application/json" });
}

export function nockWorkflow(): nock.Scope {
  return nock(CIRCLECI)
    .get("/api/v2/workflow/5d0c9a5e-0b1c-4a6f-9a0e-2f7d8c1b3e4a")
    .reply(200, fixtureJson("providers/circleci/v2-workflow.json"))
    .get("/api/v2/pipeline/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
    .reply(200, fixtureJson("providers/circleci/v2-pipeline.json"))
    .get("/api/v2/workflow/5d0c9a5e-0b1c-4a6f-9a0e-2f7d8c1b3e4a/job")
    .reply(200, fixtureJson("providers/circleci/v2-workflow-jobs.json"));
}
