import nock from "nock";
import { fixtureJson, fixtureText } from "../../helpers/fixtures.ts";

export const GITHUB_API = "https://api.github.com";
/** An installation token, as `POST /app/installations/{id}/access_tokens` hands them out. */
export const INSTALLATION_TOKEN = "ghs_Rk3pV8mQ2xW7nL4tY9cB1hD6fJ0sZ5aE2uIo";
export const RUN = "13801234567";
export const JOB = "38712345678";
export const LOG_STORAGE = "https://productionresultssa14.blob.core.windows.net";
export const LOG_PATH = "/actions-results/6f1e0c2a-93b4-4d71-8e25-0b9a4c7d3e18/workflow-job-run-2a9d4f60-1c7e-5b38-a0d2-7e4c1f9b6a35/logs/job/job-logs.txt";
export const SIGNED_QUERY =
  "?rsct=text%2Fplain&se=2025-03-11T09%3A31%3A12Z&sig=Zm9vYmFyYmF6cXV4c2lnbmF0dXJl%3D&ske=2025-03-11T15%3A40%3A05Z&skoid=ca7593d4-ee42-46cd-af88-8b886a2f84eb&sks=b&skt=2025-03-11T03%3A40%3A05Z&sktid=398a6654-997b-47e9-b12b-9515b896b4de&skv=2025-01-05&sp=r&spr=https&sr=b&st=2025-03-11T09%3A21%3A07Z&sv=2025-01-05";
export const JOB_LOG = fixtureText("providers/github-actions/job-log.txt");

/** The GitHub REST API for acme/widgets, answering only with the installation token. */
export function githubApi(api = GITHUB_API): nock.Scope {
  return nock(api, { reqheaders: { authorization: `Bearer ${INSTALLATION_TOKEN}` } });
}

export function nockJob(patch: (job: Record<string, unknown>) => void = () => {}, api = GITHUB_API, prefix = ""): nock.Scope {
  const job = fixtureJson("providers/github-actions/job-failed.json");
  patch(job);
  return githubApi(api).get(`${prefix}/repos/acme/widgets/actions/jobs/${JOB}`).reply(200, job);
}

/** The job log endpoint's 302 to signed blob storage, and the storage answering only without credentials. */
export function nockJobLog(storage = LOG_STORAGE, api = GITHUB_API, prefix = ""): nock.Scope[] {
  return [
    githubApi(api)
      .get(`${prefix}/repos/acme/widgets/actions/jobs/${JOB}/logs`)
      .reply(302, "", { location: `${storage}${LOG_PATH}${SIGNED_QUERY}` }),
    nock(storage, { badheaders: ["authorization"] })
      .get(`${LOG_PATH}${SIGNED_QUERY}`)
      .reply(200, JOB_LOG, { "content-type": "text/plain" }),
  ];
}
