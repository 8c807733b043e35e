import { Writable } from "node:stream";
import nock from "nock";
import { pino } from "pino";
import { startInProcessApp, type InProcessApp } from "../../demo/in-process-app.ts";
import type { TokenStore } from "../../src/secrets/token-store.ts";

export { DEMO_APP_ID as APP_ID, DEMO_WEBHOOK_SECRET as WEBHOOK_SECRET } from "../../demo/in-process-app.ts";

export interface Harness extends InProcessApp {
  /** Every log line the app wrote (level trace and up), as JSON text. */
  logLines: string[];
}

/**
 * The real app behind Probot's real HTTP server on loopback; GitHub (api.github.com) and the CI APIs are nock'd
 * by each test. Settle time and retry delays are shortened; nothing else is stubbed.
 */
/** `.github/ci-mender.yml` files the GitHub stand-in serves, by `owner/repo`; every other repository has none. */
const repoConfigs = new Map<string, string>();
const CONFIG_PATH = /^(?:\/api\/v3)?\/repos\/([^/]+)\/([^/]+)\/contents\/\.github(?:%2F|\/)ci-mender\.yml(?:\?.*)?$/;

/** Serves a repository's `.github/ci-mender.yml` (raw YAML, as the config plugin asks for it) for this test. */
export function nockRepoConfig(repo: { owner: string; name: string }, yaml: string): void {
  repoConfigs.set(`${repo.owner}/${repo.name}`, yaml);
}

// One persisted interceptor serves every app of a test (a test may start two replicas); nock.cleanAll() after each
// test drops it, and the next test's first app registers it again.
const configScopes = new Map<string, nock.Scope>();

/** On the GitHub the app is configured for: api.github.com, or the GHE_HOST (whose REST API lives under /api/v3). */
function nockRepoConfigs(origin: string): void {
  repoConfigs.clear();
  if ((configScopes.get(origin)?.activeMocks().length ?? 0) > 0) return;
  const scope = nock(origin)
    .persist()
    .get((path) => CONFIG_PATH.test(path))
    .reply((request: unknown) => {
      // nock 15 hands the reply function the fetch Request, not the path.
      const path = typeof request === "string" ? request : new URL((request as Request).url).pathname;
      const [, owner, name] = CONFIG_PATH.exec(path)!;
      const yaml = repoConfigs.get(`${owner}/${name}`);
      return yaml === undefined ? [404, { message: "Not Found" }] : [200, yaml, { "content-type": "text/plain; charset=utf-8" }];
    });
  configScopes.set(origin, scope);
}

export interface StartOptions {
  tokens?: TokenStore;
  /** A loopback stand-in of GitHub's REST API; nock'd api.github.com (or GHE_HOST) when unset. */
  githubApiUrl?: string;
  /** Octokit's retries as in production (off otherwise). */
  githubRetries?: boolean;
}

export async function startApp(env: Record<string, string> = {}, options: StartOptions = {}): Promise<Harness> {
  nockRepoConfigs(env.GHE_HOST ? `https://${env.GHE_HOST}` : "https://api.github.com");
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  const app = await startInProcessApp({
    env: { CI_MENDER_SETTLE_MS: "30", ...env },
    log: pino({ level: "trace" }, sink),
    ...options,
  });
  return Object.assign(app, { logLines });
}
