import { existsSync } from "node:fs";
import { run } from "probot";
import { createCiMender } from "./app.ts";
import { loadConfig } from "./config.ts";
import { CiMenderError } from "./errors.ts";
import { gitHubOctokit } from "./github-octokit.ts";
import { KeyvSignatureStore } from "./history/index.ts";
import { createLogger } from "./logger.ts";
import { CommitStateStore } from "./report/commit-state.ts";
import { createTokenStore } from "./secrets/create-token-store.ts";
import { openState } from "./state/index.ts";

/**
 * `npm start`: configuration, stores, then Probot's server. Without APP_ID and a private key (and outside
 * production), Probot serves its registration flow built from app.yml instead, so a first start needs no account.
 */
async function main(): Promise<void> {
  // Probot reads .env too, but only inside run(); ci-mender's own settings are read first.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  const shared = await openState(config);
  const tokens = createTokenStore(config, shared.keyv("tokens"));
  const state = new CommitStateStore(shared.keyv("commits"));
  const signatures = new KeyvSignatureStore(shared.keyv("signatures"));
  const ci = createCiMender({ config, tokens, state, signatures, shared });
  const server = await run(ci.app, { log: await createLogger(), Octokit: gitHubOctokit(config.providers.githubApiUrl) });
  const stop = async (signal: string) => {
    process.stderr.write(`ci-mender: ${signal} received, finishing work under way\n`);
    await server.stop();
    await ci.close(config.shutdownGraceMs);
    await shared.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  const message = error instanceof CiMenderError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`ci-mender could not start: ${message}\n`);
  process.exit(1);
});
