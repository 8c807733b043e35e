import nock from "nock";
import { describe, expect, it } from "vitest";
import { NotFound, ProviderResponseInvalid, UnsafeUrl } from "../../../src/errors.ts";
import { githubActions } from "../../../src/providers/github-actions/index.ts";
import type { BuildRef, FailedJob } from "../../../src/providers/types.ts";
import type { ActionsRef, ActionsLog } from "../../../src/providers/github-actions/schema.ts";
import { failureEventFrom, fetchContext, providerSettings, recordRequests, requestsCarrying } from "../support.ts";
import {
  GITHUB_API,
  INSTALLATION_TOKEN,
  JOB,
  JOB_LOG,
  LOG_PATH,
  LOG_STORAGE,
  SIGNED_QUERY,
  githubApi,
  nockJob,
  nockJobLog,
} from "./nock.ts";
import { readLog, readLogLines } from "../read-log.ts";

const event = failureEventFrom("check_run", "providers/github-actions/webhook-check-run.json");
const job: FailedJob<ActionsLog> = { id: JOB, name: "test (20.x)", webUrl: "", status: "failure", log: { owner: "acme", repo: "widgets", job: JOB } };
const LOGS = `/repos/acme/widgets/actions/jobs/${JOB}/logs`;

describe("GitHub Actions job log", () => {
  it("follows the documented redirect to blob storage itself and streams the log, ##[error] lines untouched", async () => {
    const scopes = nockJobLog();
    const lines = await readLogLines(githubActions.openLog(job, fetchContext(event, INSTALLATION_TOKEN)));
    expect(lines).toEqual(JOB_LOG.split("\n").slice(0, -1));
    expect(lines).toContain("2025-03-11T09:16:45.2218030Z ##[error]Process completed with exit code 1.");
    expect(scopes.every((scope) => scope.isDone())).toBe(true);
  });

  it("accepts the older Actions pipelines log host", async () => {
    nockJobLog("https://pipelinesghubeus21.actions.githubusercontent.com");
    expect(await readLogLines(githubActions.openLog(job, fetchContext(event, INSTALLATION_TOKEN)))).toHaveLength(23);
  });

  it.each([
    ["a host that is not GitHub's log storage", "https://collector.evil.example/job-logs.txt?sig=x"],
    ["an Azure account that is not GitHub's", "https://attackerstorage.blob.core.windows.net/logs/job-logs.txt?sig=x"],
    ["the API host itself (a relative Location)", "/repos/acme/widgets/actions/jobs/1/logs/raw"],
    ["plain http", `http://productionresultssa14.blob.core.windows.net${LOG_PATH}${SIGNED_QUERY}`],
    ["userinfo", `https://user:pw@productionresultssa14.blob.core.windows.net${LOG_PATH}`],
  ])("refuses a Location on %s without fetching it", async (_why, location) => {
    const api = githubApi().get(LOGS).reply(302, "", { location });
    const recorder = recordRequests(api);
    await expect(readLog(githubActions.openLog(job, fetchContext(event, INSTALLATION_TOKEN)))).rejects.toThrow(UnsafeUrl);
    recorder.stop();
    expect(recorder.seen.map((request) => request.origin)).toEqual([GITHUB_API]);
  });

  it("refuses an answer that is not the documented redirect", async () => {
    githubApi().get(LOGS).reply(200, "2025-03-11T09:14:03.4189212Z log inline");
    await expect(readLog(githubActions.openLog(job, fetchContext(event, INSTALLATION_TOKEN)))).rejects.toThrow(ProviderResponseInvalid);
  });

  it("reports a log that is gone (or not written yet) as NotFound", async () => {
    githubApi().get(LOGS).reply(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/actions/workflow-jobs" });
    await expect(readLog(githubActions.openLog(job, fetchContext(event, INSTALLATION_TOKEN)))).rejects.toThrow(NotFound);
  });
});

describe("where the installation token goes", () => {
  it("to the GitHub API only; the signed log URL is fetched with no credentials", async () => {
    const scopes = [nockJob(), ...nockJobLog()];
    const recorder = recordRequests(...scopes);
    const ctx = fetchContext(event, INSTALLATION_TOKEN);
    const [found] = await githubActions.failedJobs(githubActions.resolve(event, ctx.settings) as BuildRef<ActionsRef>, ctx);
    await readLog(githubActions.openLog(found!, ctx));
    recorder.stop();

    expect(recorder.seen.map((request) => `${request.origin}${request.path}`)).toEqual([
      `${GITHUB_API}/repos/acme/widgets/actions/jobs/${JOB}`,
      `${GITHUB_API}${LOGS}`,
      `${LOG_STORAGE}${LOG_PATH}`,
    ]);
    expect(new Set(requestsCarrying(recorder.seen, INSTALLATION_TOKEN).map((request) => request.origin))).toEqual(new Set([GITHUB_API]));
    expect(recorder.seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("on GitHub Enterprise Server, to its API; a log served by the GHES host itself gets no credentials", async () => {
    const host = "https://github.acme.internal";
    const ghes = providerSettings({ githubWebUrl: new URL(host), githubApiUrl: new URL(`${host}/api/v3`) });
    const api = githubApi(host)
      .get(`/api/v3${LOGS}`)
      .reply(302, "", { location: `${host}/_services/pipelines/_apis/logs/${JOB}?sig=abc` });
    const storage = nock(host, { badheaders: ["authorization"] }).get(`/_services/pipelines/_apis/logs/${JOB}`).query({ sig: "abc" }).reply(200, JOB_LOG);
    const recorder = recordRequests(api, storage);
    const lines = await readLogLines(githubActions.openLog(job, fetchContext(event, INSTALLATION_TOKEN, ghes)));
    recorder.stop();
    expect(lines).toHaveLength(23);
    expect(recorder.seen.map((request) => request.headers.authorization ?? null)).toEqual([`Bearer ${INSTALLATION_TOKEN}`, null]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
