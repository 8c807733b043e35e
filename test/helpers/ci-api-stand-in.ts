import type { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackServer } from "./loopback-server.ts";

/**
 * A loopback stand-in for the token-check endpoints of CircleCI (`GET /api/v2/me`, `Circle-Token`) and
 * Buildkite (`GET /v2/access-token`, Bearer), answering as those APIs do. Point `CIRCLECI_API_URL` /
 * `BUILDKITE_API_URL` at it.
 */
export class CiApiStandIn {
  /** CircleCI personal tokens that work, with the login they belong to. */
  readonly circleci = new Map<string, string>();
  /** Buildkite tokens that work, with their scopes. */
  readonly buildkite = new Map<string, string[]>();
  /** Tokens presented, in order: tests check which token reached which API. */
  readonly seen: { path: string; token: string }[] = [];
  /** Answer only after this long (a slow provider). */
  delayMs = 0;
  /** Answer every request with this status (a provider that is down). */
  outage: number | null = null;
  readonly #server = new LoopbackServer((req, res) => this.#handle(req, res));

  async start(): Promise<string> {
    return `http://127.0.0.1:${await this.#server.listen()}`;
  }

  async stop(): Promise<void> {
    await this.#server.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (res.destroyed) return;
    if (this.outage) return void res.writeHead(this.outage, { "content-type": "text/html" }).end("<h1>Service Unavailable</h1>");
    if (req.url === "/api/v2/me") {
      const token = String(req.headers["circle-token"] ?? "");
      this.seen.push({ path: req.url, token });
      const login = this.circleci.get(token);
      // CircleCI answers a wrong token in plain text, with a 401.
      if (!login) return void res.writeHead(401, { "content-type": "text/plain" }).end("Invalid token provided.");
      return json(res, 200, { id: "5a9d5d32-0000-4000-8000-000000000001", login, name: login });
    }
    if (req.url === "/v2/access-token") {
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      this.seen.push({ path: req.url, token });
      const scopes = this.buildkite.get(token);
      if (!scopes) return json(res, 401, { message: "Authentication required. Please supply a valid API Access Token: https://buildkite.com/docs/apis/rest-api#authentication" });
      return json(res, 200, {
        uuid: "b63254c0-3271-4a98-8270-7cfbd6c2f14e",
        scopes,
        description: "ci-mender",
        created_at: "2026-01-10 06:07:42 UTC",
        user: { name: "Buildkite Service", email: "buildkite-integration@example.com" },
      });
    }
    json(res, 404, { message: "Not Found" });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
