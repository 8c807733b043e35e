import type { ApplicationFunction } from "probot";
import type { Config } from "./config.ts";
import { ProviderUnavailable, describeError, isRetryable } from "./errors.ts";
import { DeliveryLedger } from "./events/delivery-ledger.ts";
import { normalise } from "./events/normalise.ts";
import { processCommit, type Work } from "./pipeline.ts";
import { CiHttp } from "./providers/http.ts";
import { TOKEN_PROVIDER_IDS } from "./ci-kinds.ts";
import { InProcessQueue, type WorkQueue } from "./queue/work-queue.ts";
import type { CommitStateStore } from "./report/commit-state.ts";
import type { TokenStore } from "./secrets/token-store.ts";
import { createSetupHandler } from "./setup/index.ts";

export interface AppDeps {
  config: Config;
  tokens: TokenStore;
  state: CommitStateStore;
  /** Retries of a commit's work after a retryable failure (provider down, store unavailable). */
  maxAttempts?: number;
  /** First retry delay; doubled at each attempt unless the provider said how long to wait. */
  retryBaseMs?: number;
}

export interface CiMender {
  app: ApplicationFunction;
  /** Resolves when no work is waiting or running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Wires webhooks to the queue and the queue to the pipeline. No rule lives here. */
export function createCiMender(deps: AppDeps): CiMender {
  let queue: WorkQueue<Work> | null = null;
  const http = new CiHttp({ timeoutMs: deps.config.httpTimeoutMs });
  const maxAttempts = deps.maxAttempts ?? 5;
  const retryBaseMs = deps.retryBaseMs ?? 5_000;

  const app: ApplicationFunction = (probot, { addHandler }) => {
    const log = probot.log.child({ name: "ci-mender" });
    const ledger = new DeliveryLedger();
    const work = new InProcessQueue<Work>({
      concurrency: deps.config.concurrency,
      settleMs: deps.config.settleMs,
      run: (_key, items) =>
        processCommit(items, {
          config: deps.config,
          tokens: deps.tokens,
          state: deps.state,
          http,
          log,
          octokitFor: (installationId) => probot.auth(installationId),
        }),
      onFailure(key, error, attempt) {
        const retry = isRetryable(error) && attempt < maxAttempts;
        const waitSeconds = error instanceof ProviderUnavailable ? error.retryAfterSeconds : undefined;
        const delayMs = waitSeconds !== undefined ? waitSeconds * 1000 : retryBaseMs * 2 ** (attempt - 1);
        log[retry ? "warn" : "error"]({ commit: key, attempt, reason: describeError(error) }, retry ? "will retry" : "gave up");
        return { retry, delayMs };
      },
    });
    queue = work;

    probot.on(["check_run.completed", "status"], async (context) => {
      if (!ledger.firstTime(context.id)) return;
      const event = normalise(context.name, context.id, context.payload, deps.config.appId);
      if (event.kind === "ignored") {
        context.log.debug({ reason: event.reason }, "event ignored");
        return;
      }
      work.add(`${event.event.repo.id}:${event.event.sha}`, event);
    });

    addHandler(createSetupHandler({ config: deps.config, tokens: deps.tokens, log: probot.log.child({ name: "setup" }) }));

    probot.on("installation.deleted", async (context) => {
      const account = context.payload.installation.account;
      if (!account || !("id" in account)) return;
      for (const provider of TOKEN_PROVIDER_IDS) {
        if (await deps.tokens.remove(account.id, provider)) {
          log.info({ audit: "token-deleted", account: account.id, provider, reason: "app uninstalled" }, "audit");
        }
      }
    });
  };

  return {
    app,
    idle: () => queue?.onIdle() ?? Promise.resolve(),
    close: () => queue?.close() ?? Promise.resolve(),
  };
}
