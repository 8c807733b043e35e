import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");

function fixture(relative: string): string {
  return readFileSync(path.join(FIXTURES, relative), "utf8");
}

export interface StandIn {
  origin: string;
  port: number;
  /** Requests received, with whether they carried a credential header. */
  requests: Array<{ method: string; path: string; authorization: string | null; circleToken: string | null }>;
  close(): Promise<void>;
}

type Route = (req: http.IncomingMessage, body: string, url: URL) => { status: number; body: unknown; headers?: Record<string, string> } | null;

async function serve(routes: Route[]): Promise<StandIn> {
  const requests: StandIn["requests"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      requests.push({
        method: req.method ?? "GET",
        path: url.pathname,
        authorization: req.headers.authorization ?? null,
        circleToken: (req.headers["circle-token"] as string | undefined) ?? null,
      });
      for (const route of routes) {
        const answer = route(req, Buffer.concat(chunks).toString("utf8"), url);
        if (!answer) continue;
        const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, { "content-type": "application/json", connection: "close", ...answer.headers });
        res.end(text);
        return;
      }
      res.writeHead(404, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ message: "Not Found" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface GitHubStandIn extends StandIn {
  /** Comment bodies as GitHub would store them, by PR number. */
  comments: Map<number, Array<{ id: number; body: string }>>;
}

/**
 * GitHub's REST API for one repository with one open PR whose head is `sha`, as a GitHub Enterprise Server
 * would serve it under /api/v3.
 */
export async function startGitHubStandIn(options: { owner: string; repo: string; sha: string; pr: number }): Promise<GitHubStandIn> {
  const comments = new Map<number, Array<{ id: number; body: string }>>([[options.pr, []]]);
  let nextId = 1000;
  const repoPath = `/api/v3/repos/${options.owner}/${options.repo}`;
  const standIn = await serve([
    (req, _body, url) =>
      req.method === "POST" && /^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(url.pathname)
        ? { status: 201, body: { token: "ghs_demoInstallationToken000000000000000", expires_at: new Date(Date.now() + 3_600_000).toISOString() } }
        : null,
    (req, _body, url) =>
      req.method === "GET" && url.pathname === `${repoPath}/commits/${options.sha}/pulls`
        ? { status: 200, body: [{ number: options.pr, state: "open", head: { sha: options.sha, ref: "widget-totals" } }] }
        : null,
    (req, body, url) => {
      const match = /^\/api\/v3\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (!match) return null;
      const list = comments.get(Number(match[1])) ?? [];
      if (req.method === "GET") {
        return { status: 200, body: list.map((c) => ({ id: c.id, body: c.body, user: { login: "ci-mender[bot]", type: "Bot" } })) };
      }
      const comment = { id: nextId++, body: (JSON.parse(body) as { body: string }).body };
      list.push(comment);
      comments.set(Number(match[1]), list);
      return { status: 201, body: comment };
    },
    (req, body, url) => {
      const match = /^\/api\/v3\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (!match || req.method !== "PATCH") return null;
      for (const list of comments.values()) {
        const comment = list.find((c) => c.id === Number(match[1]));
        if (comment) {
          comment.body = (JSON.parse(body) as { body: string }).body;
          return { status: 200, body: comment };
        }
      }
      return { status: 404, body: { message: "Not Found" } };
    },
  ]);
  return { ...standIn, comments };
}

/**
 * CircleCI's API for job 1042 of acme/widgets (on the given GitHub), with its step output served by the same server (a stand-in for
 * the S3 bucket; ci-mender is told to accept it through CI_MENDER_LOG_HOSTS).
 */
export async function startCircleciStandIn(token: string, githubWebOrigin: string): Promise<StandIn> {
  let origin = "";
  const standIn = await serve([
    (req, _body, url) => {
      if (url.pathname !== "/api/v1.1/project/github/acme/widgets/1042") return null;
      if (req.headers["circle-token"] !== token) return { status: 401, body: "Invalid token provided." };
      const job = JSON.parse(fixture("providers/circleci/v1.1-job-1042-failed.json")) as {
        vcs_url: string;
        steps: Array<{ actions: Array<{ output_url: string | null }> }>;
      };
      // The build is of the repository on the GitHub the app talks to (here a GitHub Enterprise stand-in).
      job.vcs_url = `${githubWebOrigin}/acme/widgets`;
      for (const step of job.steps) {
        for (const action of step.actions) {
          if (action.output_url) action.output_url = `${origin}/output/${new URL(action.output_url).pathname.slice(1)}?X-Amz-Signature=demo`;
        }
      }
      return { status: 200, body: job };
    },
    (req, _body, url) => {
      if (!url.pathname.startsWith("/output/")) return null;
      // Signed storage URLs must arrive without a credential.
      if (req.headers["circle-token"] || req.headers.authorization) return { status: 400, body: "credentials on a presigned URL" };
      return url.pathname.endsWith("-1042-0")
        ? { status: 200, body: fixture("providers/circleci/step-output.vitest-failed.json") }
        : { status: 200, body: "[]" };
    },
    (req, _body, url) =>
      url.pathname === "/api/v2/me"
        ? req.headers["circle-token"] === token
          ? { status: 200, body: JSON.parse(fixture("providers/circleci/v2-me.json")) }
          : { status: 401, body: "Invalid token provided." }
        : null,
  ]);
  origin = standIn.origin;
  return standIn;
}
