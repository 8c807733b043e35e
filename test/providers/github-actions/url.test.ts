import { describe, expect, it } from "vitest";
import { githubActions } from "../../../src/providers/github-actions/index.ts";
import { failureEventFrom, providerSettings } from "../support.ts";
import { JOB, RUN } from "./nock.ts";

const settings = providerSettings();
const ghes = providerSettings({
  githubWebUrl: new URL("https://github.acme.internal"),
  githubApiUrl: new URL("https://github.acme.internal/api/v3"),
});
const RUN_URL = `https://github.com/acme/widgets/actions/runs/${RUN}`;
const resolve = (url: string | null, at = settings) => githubActions.resolve({ url }, at);

describe("GitHub Actions recognition", () => {
  it("takes the job id from a GitHub Actions check run: the check run id is the job id", () => {
    const event = failureEventFrom("check_run", "providers/github-actions/webhook-check-run.json");
    expect(githubActions.resolve(event, settings)).toEqual({
      provider: "github-actions",
      ids: { kind: "job", job: JOB },
      key: `github-actions:job:${JOB}`,
    });
  });

  it("trusts the check run id over its details URL, whatever host that names", () => {
    const input = { url: "https://evil.example/x", appSlug: "github-actions", checkRunId: Number(JOB) };
    expect(githubActions.resolve(input, settings)?.ids).toEqual({ kind: "job", job: JOB });
    expect(githubActions.resolve(input, ghes)?.ids).toEqual({ kind: "job", job: JOB });
  });

  it("reads owner, repository, run and job from a job link, with the check run's key", () => {
    expect(resolve(`${RUN_URL}/job/${JOB}?pr=42#step:5:12`)).toEqual({
      provider: "github-actions",
      ids: { kind: "job", job: JOB, owner: "acme", repo: "widgets", run: RUN },
      key: `github-actions:job:${JOB}`,
    });
  });

  it("reads a run link", () => {
    expect(resolve(RUN_URL)).toEqual({
      provider: "github-actions",
      ids: { kind: "run", owner: "acme", repo: "widgets", run: RUN },
      key: `github-actions:run:${RUN}`,
    });
    expect(resolve("https://github.com/acme/.github/actions/runs/5")?.ids.repo).toBe(".github");
  });

  it("recognises links on the configured GitHub Enterprise Server host instead of github.com", () => {
    expect(resolve(`https://github.acme.internal/acme/widgets/actions/runs/${RUN}/job/${JOB}`, ghes)?.ids).toMatchObject({ job: JOB });
    expect(resolve(`${RUN_URL}/job/${JOB}`, ghes)).toBeNull();
    expect(resolve(`https://github.acme.internal/acme/widgets/actions/runs/${RUN}`, settings)).toBeNull();
  });

  it("ignores check runs of other apps and malformed check run ids, falling back to the link", () => {
    expect(githubActions.resolve({ url: null, appSlug: "circleci-checks", checkRunId: Number(JOB) }, settings)).toBeNull();
    expect(githubActions.resolve({ url: null, appSlug: "github-actions", checkRunId: -1 }, settings)).toBeNull();
    expect(githubActions.resolve({ url: null, appSlug: "github-actions", checkRunId: 2 ** 60 }, settings)).toBeNull();
  });

  it.each([
    ["userinfo naming the real host", `https://github.com@evil.example/acme/widgets/actions/runs/${RUN}`],
    ["a backslash before @", `https://evil.example\\@github.com/acme/widgets/actions/runs/${RUN}`],
    ["a trailing dot", `https://github.com./acme/widgets/actions/runs/${RUN}`],
    ["a suffix host", `https://github.com.evil.example/acme/widgets/actions/runs/${RUN}`],
    ["the API host", `https://api.github.com/acme/widgets/actions/runs/${RUN}`],
    ["a homoglyph", `https://gіthub.com/acme/widgets/actions/runs/${RUN}`],
    ["a port", `https://github.com:8443/acme/widgets/actions/runs/${RUN}`],
    ["plain http", `http://github.com/acme/widgets/actions/runs/${RUN}`],
    ["an encoded slash", `https://github.com/acme%2Fwidgets/actions/runs/${RUN}`],
    ["a dot segment", `https://github.com/acme/widgets/../gadgets/actions/runs/${RUN}`],
    ["a repository of dots", `https://github.com/acme/.../actions/runs/${RUN}`],
    ["an overlong run id", "https://github.com/acme/widgets/actions/runs/12345678901234567"],
    ["a job id that is not a number", `${RUN_URL}/job/latest`],
    ["the plural jobs path", `${RUN_URL}/jobs/${JOB}`],
    ["a run attempt page", `${RUN_URL}/attempts/2`],
    ["a workflow page", "https://github.com/acme/widgets/actions/workflows/ci.yml"],
    ["a pull request", "https://github.com/acme/widgets/pull/42/checks"],
    ["an owner with an underscore", `https://github.com/ac_me/widgets/actions/runs/${RUN}`],
  ])("refuses %s", (_why, url) => {
    expect(resolve(url)).toBeNull();
  });
});
