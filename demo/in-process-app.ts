import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Keyv } from "keyv";
import type { Logger } from "probot";
import { Probot, Server } from "probot";
import { createCiMender, type CiMender } from "../src/app.ts";
import { loadConfig, type Config } from "../src/config.ts";
import { gitHubOctokit } from "../src/github-octokit.ts";
import { KeyvSignatureStore } from "../src/history/index.ts";
import { CommitStateStore } from "../src/report/commit-state.ts";
import { createLocalTokenStore } from "../src/secrets/local-token-store.ts";
import type { TokenStore } from "../src/secrets/token-store.ts";
import { openState } from "../src/state/index.ts";

export const DEMO_APP_ID = 424242;
export const DEMO_WEBHOOK_SECRET = "demo-webhook-secret-0123456789abcdef";

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

export interface InProcessApp {
  url: string;
  config: Config;
  tokens: TokenStore;
  ci: CiMender;
  /** POSTs a webhook signed with the app's secret (or the given signature) to Probot's webhook path. */
  send(name: string, payload: unknown, options?: { id?: string; signature?: string }): Promise<Response>;
  close(): Promise<void>;
}

export interface InProcessAppOptions {
  env?: Record<string, string>;
  log: Logger;
  tokens?: TokenStore;
  /** GitHub REST base for Probot's Octokit (a loopback stand-in); the configured host (GHE_HOST) when unset. */
  githubApiUrl?: string;
  /** Keep Octokit's retries on, as in production (off by default: a run does not wait out retry delays). */
  githubRetries?: boolean;
}

/**
 * ci-mender behind Probot's real HTTP server on loopback, with a throwaway data directory and app key: what the
 * demo, the benchmark and the tests drive. Only the GitHub App credentials are made up.
 */
export async function startInProcessApp(options: InProcessAppOptions): Promise<InProcessApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ci-mender-"));
  const config = loadConfig({
    APP_ID: String(DEMO_APP_ID),
    WEBHOOK_SECRET: DEMO_WEBHOOK_SECRET,
    CI_MENDER_DATA_DIR: dataDir,
    BASE_URL: "https://ci-mender.example.com",
    ...options.env,
  });
  // With REDIS_URL the app shares state and queue through it, as replicas do; otherwise state stays in memory.
  const shared = config.redisUrl ? await openState(config) : undefined;
  const tokens = options.tokens ?? createLocalTokenStore({ dataDir, encryptionKey: config.encryptionKey, ...(shared ? { keyv: shared.keyv("tokens") } : {}) });
  const state = new CommitStateStore(shared ? shared.keyv("commits") : new Keyv({ namespace: "commits" }));
  const signatures = new KeyvSignatureStore(shared ? shared.keyv("signatures") : new Keyv({ namespace: "signatures" }));
  const ci = createCiMender({ config, tokens, state, signatures, retryBaseMs: 20, maxAttempts: 3, ...(shared ? { shared } : {}) });
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const port = await freePort();
  // The configured host (GHE_HOST), as in production, unless a stand-in's address is given.
  const githubApi = options.githubApiUrl ? new URL(options.githubApiUrl) : config.providers.githubApiUrl;
  const server = new Server({
    host: "127.0.0.1",
    port,
    log: options.log,
    Probot: Probot.defaults({
      appId: DEMO_APP_ID,
      privateKey,
      secret: DEMO_WEBHOOK_SECRET,
      log: options.log,
      baseUrl: githubApi.toString().replace(/\/+$/, ""),
      // Probot merges its own throttle options into plain defaults; the function form has the last word, so a
      // run does not wait out GitHub's 3 s spacing between comment writes.
      Octokit: gitHubOctokit(githubApi).defaults((o: object) => ({
        ...o,
        ...(options.githubRetries ? {} : { retry: { enabled: false } }),
        throttle: { enabled: false },
      })),
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
    async send(name, payload, sendOptions = {}) {
      const body = JSON.stringify(payload);
      const signature = sendOptions.signature ?? `sha256=${createHmac("sha256", DEMO_WEBHOOK_SECRET).update(body).digest("hex")}`;
      const response = await fetch(`${url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": sendOptions.id ?? randomUUID(),
          "x-hub-signature-256": signature,
        },
        body,
        keepalive: false,
      });
      await response.arrayBuffer();
      return response;
    },
    async close() {
      await ci.close(1_000);
      await server.stop();
      await shared?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
