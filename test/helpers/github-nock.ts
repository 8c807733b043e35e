import nock from "nock";

export const GITHUB_API = "https://api.github.com";
export const INSTALLATION_TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

export interface RepoName {
  owner: string;
  name: string;
}

/** Every request nock answered, with the host and headers it carried. */
export interface SeenRequest {
  origin: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Records the requests a scope answers, so tests can say where a credential went. */
export function recordRequests(scope: nock.Scope, into: SeenRequest[]): nock.Scope {
  scope.on("request", (req: { headers: Headers | Record<string, string>; path: string }, interceptor: { basePath?: string }, body: string) => {
    const headers =
      req.headers instanceof Headers ? Object.fromEntries(req.headers.entries()) : Object.fromEntries(Object.entries(req.headers));
    into.push({ origin: (interceptor.basePath ?? "").replace(/:443$/, ""), path: req.path, headers, body: body ?? "" });
  });
  return scope;
}

/** A GitHub REST base (`https://api.github.com`, or a GHES host's `…/api/v3`) as nock's origin and path prefix. */
function route(api: string): { scope: nock.Scope; prefix: string } {
  const url = new URL(api);
  return { scope: nock(url.origin), prefix: url.pathname.replace(/\/+$/, "") };
}

export function nockInstallationToken(installationId: number, times = 1, token = INSTALLATION_TOKEN, api = GITHUB_API): nock.Scope {
  const { scope, prefix } = route(api);
  return scope
    .post(`${prefix}/app/installations/${installationId}/access_tokens`)
    .times(times)
    .reply(201, { token, expires_at: "2099-01-01T00:00:00Z", permissions: { pull_requests: "write" } });
}

export function nockPullsForCommit(repo: RepoName, sha: string, prs: Array<{ number: number; headSha?: string; state?: string }>, times = 1): nock.Scope {
  return nock(GITHUB_API)
    .get(`/repos/${repo.owner}/${repo.name}/commits/${sha}/pulls`)
    .query(true)
    .times(times)
    .reply(
      200,
      prs.map((pr) => ({
        number: pr.number,
        state: pr.state ?? "open",
        head: { sha: pr.headSha ?? sha, ref: "feature", repo: { id: 1, fork: false } },
        base: { ref: "main" },
      })),
    );
}

export interface FakeComment {
  id: number;
  body: string;
  user?: { login: string; type: string };
}

export function nockListComments(repo: RepoName, pr: number, comments: FakeComment[], times = 1, api = GITHUB_API): nock.Scope {
  const { scope, prefix } = route(api);
  return scope
    .get(`${prefix}/repos/${repo.owner}/${repo.name}/issues/${pr}/comments`)
    .query(true)
    .times(times)
    .reply(
      200,
      comments.map((c) => ({ id: c.id, body: c.body, user: c.user ?? { login: "ci-mender[bot]", type: "Bot" } })),
    );
}

export function nockCreateComment(repo: RepoName, pr: number, bodies: string[], api = GITHUB_API): nock.Scope {
  const { scope, prefix } = route(api);
  return scope
    .post(`${prefix}/repos/${repo.owner}/${repo.name}/issues/${pr}/comments`, (body: { body?: unknown } | undefined) => {
      // nock tries body matchers on requests to other paths too (bodiless GETs): only a comment is recorded.
      if (typeof body?.body !== "string") return false;
      bodies.push(body.body);
      return true;
    })
    .reply(201, { id: 9001, body: "" });
}

export function nockUpdateComment(repo: RepoName, id: number, bodies: string[]): nock.Scope {
  return nock(GITHUB_API)
    .patch(`/repos/${repo.owner}/${repo.name}/issues/comments/${id}`, (body: { body?: unknown } | undefined) => {
      // nock tries body matchers on requests to other paths too (bodiless GETs): only a comment is recorded.
      if (typeof body?.body !== "string") return false;
      bodies.push(body.body);
      return true;
    })
    .reply(200, { id, body: "" });
}
