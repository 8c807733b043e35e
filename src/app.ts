import type { ApplicationFunction } from "probot";
import type { Config } from "./config.ts";
import { ProviderUnavailable, describeError, isRetryable } from "./errors.ts";
import { HistoryCache, type SignatureStore } from "./history/index.ts";
import { normalise } from "./events/normalise.ts";
import { processCommit, type Work } from "./pipeline.ts";
import { CiHttp } from "./providers/http.ts";
import { TOKEN_PROVIDER_IDS } from "./ci-kinds.ts";
import { createWorkQueue, type WorkQueue } from "./queue/index.ts";
import { WorkSchema } from "./queue/work-schema.ts";
import { webhooks } from "./ops/metrics.ts";
import { inProcessLedger } from "./state/delivery-ledger.ts";
import type { SharedState } from "./state/index.ts";
import type { CommitStateStore } from "./report/commit-state.ts";
import type { TokenStore } from "./secrets/token-store.ts";
import { createSetupHandler } from "./setup/index.ts";

export interface AppDeps {
  config: Config;
  tokens: TokenStore;
  state: CommitStateStore;
  /** Failure signatures of analysed jobs, for the comparison with the PR's base branch. */
  signatures: SignatureStore;
  /** Retries of a commit's work after a retryable failure (provider down, store unavailable). */
  maxAttempts?: number;
  /** First retry delay; doubled at each attempt unless the provider said how long to wait. */
  retryBaseMs?: number;
  /** Delivery ledger and, with Redis, the job queue replicas share; in this process when absent. */
  shared?: SharedState;
}

export interface CiMender {
  app: ApplicationFunction;
  /** Resolves when no work is waiting or running. */
  idle(): Promise<void>;
  /** Stops taking work; running work gets `graceMs` (then, with Redis, goes back to the queue). */
  close(graceMs?: number): Promise<void>;
}

/** The base-branch comparison's share of a commit's work; past it the comment goes out unclassified. */
const HISTORY_BUDGET_MS = 20_000;

/** Wires webhooks to the queue and the queue to the pipeline. No rule lives here. */
export function createCiMender(deps: AppDeps): CiMender {
  let queue: WorkQueue<Work> | null = null;
  const http = new CiHttp({ timeoutMs: deps.config.httpTimeoutMs });
  const maxAttempts = deps.maxAttempts ?? 5;
  const retryBaseMs = deps.retryBaseMs ?? 5_000;
  const history = { signatures: deps.signatures, cache: new HistoryCache(), budgetMs: HISTORY_BUDGET_MS };

  const app: ApplicationFunction = (probot, { addHandler }) => {
    const log = probot.log.child({ name: "ci-mender" });
    const ledger = deps.shared?.ledger ?? inProcessLedger();
    const work = createWorkQueue<Work>(deps.shared, {
      schema: WorkSchema,
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
          history,
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
      const outcome = (name: string) => webhooks.inc({ event: context.name, outcome: name });
      if (!(await unavailableOnError(() => ledger.claim(context.id), () => outcome("unavailable")))) {
        context.log.debug({ delivery: context.id }, "duplicate delivery ignored");
        return outcome("duplicate");
      }
      const event = normalise(context.name, context.id, context.payload, deps.config.appId);
      if (event.kind === "ignored") {
        context.log.debug({ reason: event.reason }, "event ignored");
        return outcome("ignored");
      }
      await unavailableOnError(
        () => work.add(`${event.event.repo.id}:${event.event.sha}`, event),
        // GitHub's redelivery of this webhook must not be mistaken for a duplicate.
        () => {
          void ledger.release(context.id).catch(() => {});
          outcome("unavailable");
        },
      );
      outcome("queued");
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
    close: (graceMs) => queue?.close(graceMs) ?? Promise.resolve(),
  };
}

/**
 * Runs a step of accepting a webhook; when the shared state cannot be reached the webhook is answered 503 (the
 * status reaches the HTTP answer through @octokit/webhooks), so GitHub records a failed delivery instead of a
 * 2xx for work that was dropped.
 */
async function unavailableOnError<R>(step: () => Promise<R>, onError: () => void): Promise<R> {
  try {
    return await step();
  } catch (error) {
    onError();
    throw Object.assign(new Error(`the work queue could not be reached (${describeError(error)}); redeliver this webhook later`), {
      status: 503,
    });
  }
}
