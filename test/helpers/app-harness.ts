import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { Keyv } from "keyv";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { createCiMender, type CiMender } from "../../src/app.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { CommitStateStore } from "../../src/report/commit-state.ts";
import { createLocalTokenStore } from "../../src/secrets/local-token-store.ts";
import type { TokenStore } from "../../src/secrets/token-store.ts";

export const WEBHOOK_SECRET = "test-webhook-secret-0123456789abcdef";
export const APP_ID = 424242;

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Harness {
  url: string;
  config: Config;
  tokens: TokenStore;
  ci: CiMender;
  /** Every log line the app wrote, as JSON text. */
  logLines: string[];
  send(name: string, payload: unknown, options?: { id?: string; signature?: string }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real app behind Probot's real HTTP server on loopback: webhooks are signed and POSTed, GitHub and the CI
 * APIs are nock'd by each test. Settle time and retry delays are shortened; nothing else is stubbed.
 */
export async function startApp(env: Record<string, string> = {}, options: { tokens?: TokenStore } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ci-mender-test-"));
  const config = loadConfig({
    APP_ID: String(APP_ID),
    WEBHOOK_SECRET,
    CI_MENDER_DATA_DIR: dataDir,
    CI_MENDER_SETTLE_MS: "30",
    BASE_URL: "https://ci-mender.example.com",
    ...env,
  });
  const tokens = options.tokens ?? createLocalTokenStore({ dataDir });
  const state = new CommitStateStore(new Keyv({ namespace: "commits" }));
  const ci = createCiMender({ config, tokens, state, retryBaseMs: 20, maxAttempts: 3 });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  const log = pino({ level: "trace" }, sink);
  const port = await freePort();
  const server = new Server({
    host: "127.0.0.1",
    port,
    log,
    Probot: Probot.defaults({
      appId: APP_ID,
      privateKey,
      secret: WEBHOOK_SECRET,
      log,
      // Probot merges its own throttle options into plain defaults; the function form has the last word, so
      // tests do not wait out GitHub's 3 s spacing between comment writes.
      Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    }),
  });
  await server.load(ci.app);
  await server.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    config,
    tokens,
    ci,
    logLines,
    async send(name, payload, sendOptions = {}) {
      const body = JSON.stringify(payload);
      const signature = sendOptions.signature ?? `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
      return fetch(`${url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": sendOptions.id ?? randomUUID(),
          "x-hub-signature-256": signature,
        },
        body,
        // A kept-alive connection would hold server.stop() open until it times out.
        keepalive: false,
      }).then(async (response) => {
        await response.arrayBuffer();
        return response;
      });
    },
    async close() {
      await ci.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
