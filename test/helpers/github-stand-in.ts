import type { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackServer } from "./loopback-server.ts";

/** How the stand-in answers one `POST …/issues/{n}/comments`. */
export type CreateAnswer =
  /** Stores the comment, then answers 502 as GitHub's front end does when the app server behind it is slow. */
  | "store-then-502"
  /** Stores the comment, then drops the connection without an answer. */
  | "store-then-drop"
  /** Answers 502 without storing anything. */
  | "502-unstored";

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
}

/**
 * GitHub's REST API at `http://127.0.0.1:<port>/api/v3`, enough for one commit's comment: installation tokens,
 * the PRs of a commit, and an issue's comments, which it keeps. Like GitHub it refuses a comment body over
 * 65,536 bytes with a 422 (GitHub counts more than characters: a 62,726-character body of 141,693 bytes was refused).
 */
export class GitHubStandIn {
  readonly comments: StoredComment[] = [];
  /** Every request, as `METHOD path`. */
  readonly requests: string[] = [];
  /** Answers for the next comment creations, used up in order; then comments are created normally. */
  readonly createAnswers: CreateAnswer[] = [];
  /** PRs whose head is the commit asked about. */
  pullRequests: number[] = [17];
  #nextId = 7001;
  readonly #server = new LoopbackServer((req, res) => this.#handle(req, res));
  #port = 0;

  async start(): Promise<this> {
    this.#port = await this.#server.listen();
    return this;
  }

  /** The REST base to give Probot's Octokit. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api/v3`;
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://stand-in");
    const path = url.pathname.replace(/^\/api\/v3/, "");
    this.requests.push(`${req.method} ${path}`);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(value));
    };
    let match: RegExpExecArray | null;
    if (req.method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return json(201, { token: "ghs_StandInInstallationToken000000000000", expires_at: "2099-01-01T00:00:00Z" });
    }
    if (req.method === "GET" && /^\/repos\/[^/]+\/[^/]+\/commits\/[0-9a-f]{40}\/pulls$/.test(path)) {
      const sha = path.split("/")[5];
      return json(200, this.pullRequests.map((number) => ({ number, state: "open", head: { sha, ref: "feature" }, base: { ref: "main" } })));
    }
    if ((match = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path))) {
      const issue = Number(match[1]);
      if (req.method === "GET") {
        const page = Number(url.searchParams.get("page") ?? "1");
        const perPage = Number(url.searchParams.get("per_page") ?? "30");
        const all = this.comments.filter((c) => c.issue === issue);
        const shown = all.slice((page - 1) * perPage, page * perPage);
        return json(200, shown.map((c) => ({ id: c.id, body: c.body, user: { login: "ci-mender[bot]", type: "Bot" } })));
      }
      if (req.method === "POST") {
        const text = (JSON.parse(body) as { body: string }).body;
        if (Buffer.byteLength(text, "utf8") > 65_536) {
          return json(422, {
            message: "Validation Failed",
            errors: [{ resource: "IssueComment", code: "unprocessable", field: "data", message: "Body is too long (maximum is 65536 characters)" }],
            documentation_url: "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
            status: "422",
          });
        }
        const answer = this.createAnswers.shift();
        if (answer === "502-unstored") {
          res.writeHead(502, { "content-type": "text/html" });
          return void res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
        }
        const comment = { id: this.#nextId++, issue, body: text };
        this.comments.push(comment);
        if (answer === "store-then-502") {
          res.writeHead(502, { "content-type": "text/html" });
          return void res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
        }
        if (answer === "store-then-drop") return void req.socket.destroy();
        return json(201, { id: comment.id, body: comment.body });
      }
    }
    if (req.method === "PATCH" && (match = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path))) {
      const comment = this.comments.find((c) => c.id === Number(match![1]));
      if (!comment) return json(404, { message: "Not Found" });
      comment.body = (JSON.parse(body) as { body: string }).body;
      return json(200, { id: comment.id, body: comment.body });
    }
    json(404, { message: "Not Found" });
  }
}
