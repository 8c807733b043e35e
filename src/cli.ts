import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig, type Config } from "./config.ts";
import { CiMenderError, describeError } from "./errors.ts";
import { analyzeLog } from "./logs/analyze.ts";
import { readBaseline } from "./logs/baseline.ts";
import { readFileChunks } from "./logs/read-file.ts";
import { CiHttp } from "./providers/http.ts";
import { TOKEN_PROVIDER_IDS, type TokenProviderId, isTokenProviderId } from "./ci-kinds.ts";
import { getProvider, resolveBuild } from "./providers/registry.ts";
import { tokenProviderOf } from "./providers/types.ts";
import { renderFailureComment } from "./report/render.ts";
import { createTokenStore } from "./secrets/create-token-store.ts";

const USAGE = `Usage:
  ci-mender analyze <file|-> [--json] [--baseline pass.log]
                                               the comment that would be posted for a raw CI log
                                               (lines the passing run printed too are not the cause)
  ci-mender resolve <url> [--context C] [--app-slug S] [--external-id X]
                                               the CI provider and build ids of a check's URL
  ci-mender tokens set <account-id> <provider> store a token read from standard input
  ci-mender tokens list                        stored tokens (never their values)
  ci-mender tokens verify <account-id> <provider>
                                               test the stored token with the provider's API
  ci-mender tokens remove <account-id> <provider>
Providers: ${TOKEN_PROVIDER_IDS.join(", ")}. Configuration comes from the environment (see .env.example).`;

class UsageError extends Error {}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function analyze(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" }, baseline: { type: "string" } } });
  const file = positionals[0];
  if (!file) throw new UsageError("analyze needs a file (or - for standard input)");
  const source = file === "-" ? process.stdin : readFileChunks(file);
  const unreadable = (path: string) => (error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && ["ENOENT", "EACCES", "EISDIR", "EPERM"].includes(code)) {
      throw new UsageError(`cannot read ${path} (${code})`);
    }
    throw error;
  };
  const baseline = values.baseline === undefined ? undefined : await readBaseline(readFileChunks(values.baseline)).catch(unreadable(values.baseline));
  const analysis = await analyzeLog(source, baseline ? { secrets: [], baseline } : { secrets: [] }).catch(unreadable(file));
  if (values.json) {
    out(JSON.stringify({ failures: analysis.failures, tests: analysis.tests ?? null, lines: analysis.lines, bytes: analysis.bytes }, null, 2));
    return 0;
  }
  const sha = "0".repeat(40);
  const job = { id: "log", name: file === "-" ? "standard input" : file, webUrl: "", status: "failed" };
  const body = renderFailureComment(
    {
      repo: { id: 0, owner: "local", name: "log", fullName: "local/log", private: true },
      sha,
      jobs: [{ provider: null, providerName: "log file", context: "local", job, analysis }],
      notices: [],
      failingContexts: [],
    },
    { githubWebUrl: null, baseUrl: new URL("http://localhost:3000") },
  );
  out(body);
  return 0;
}

function resolve(args: string[], config: Config): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { context: { type: "string" }, "app-slug": { type: "string" }, "external-id": { type: "string" } },
  });
  const url = positionals[0];
  if (!url) throw new UsageError("resolve needs a URL");
  const found = resolveBuild(
    { url, context: values.context ?? null, appSlug: values["app-slug"] ?? null, externalId: values["external-id"] ?? null },
    config.providers,
  );
  if (!found) {
    process.stderr.write("not recognised: no known CI provider matches this URL exactly\n");
    return 1;
  }
  out(JSON.stringify({ provider: found.provider.id, name: found.provider.name, ids: found.ids, key: found.key }, null, 2));
  return 0;
}

function accountAndProvider(positionals: string[]): { accountId: number; provider: TokenProviderId } {
  const [account, provider, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError("tokens are read from standard input, never from the command line");
  if (!account || !/^[1-9][0-9]{0,15}$/.test(account)) throw new UsageError("the account id is the GitHub account's numeric id");
  if (!provider || !isTokenProviderId(provider)) throw new UsageError(`the provider is one of ${TOKEN_PROVIDER_IDS.join(", ")}`);
  return { accountId: Number(account), provider };
}

async function tokens(args: string[], config: Config): Promise<number> {
  const [action, ...rest] = args;
  const store = createTokenStore(config);
  switch (action) {
    case "set": {
      const { accountId, provider } = accountAndProvider(rest);
      if (process.stdin.isTTY) process.stderr.write(`Paste the ${provider} token, then press Ctrl-D:\n`);
      const token = (await readStdin()).trim();
      if (!token || /\s/.test(token) || token.length > 4_096) throw new UsageError("standard input must hold exactly one token");
      const metadata = await store.set(accountId, provider, { token, verifiedAt: null, scopes: null, updatedBy: "cli" });
      out(`stored the ${provider} token for account ${accountId} (ends in ${metadata.last4}); check it with: ci-mender tokens verify ${accountId} ${provider}`);
      return 0;
    }
    case "list": {
      const all = await store.list();
      if (all.length === 0) out("no tokens stored");
      for (const t of all) {
        const state = t.lastError ? `failing: ${t.lastError}` : t.verifiedAt ? `verified ${t.verifiedAt}` : "not verified";
        out(`${t.accountId}\t${t.provider}\t…${t.last4}\tupdated ${t.updatedAt}\t${state}`);
      }
      return 0;
    }
    case "verify": {
      const { accountId, provider } = accountAndProvider(rest);
      const stored = await store.get(accountId, provider);
      if (!stored) {
        process.stderr.write(`no ${provider} token is stored for account ${accountId}\n`);
        return 1;
      }
      const verifier = tokenProviderOf(getProvider(provider));
      if (!verifier) throw new UsageError(`${provider} tokens cannot be verified`);
      const check = await verifier.verifyToken(stored.token, { http: new CiHttp({ timeoutMs: 5_000, retryLimit: 0 }), settings: config.providers });
      const at = new Date().toISOString();
      if (check.ok) {
        await store.markVerified(accountId, provider, { at, error: null });
        out(`${verifier.name} accepted the token${check.identity ? ` (acting as ${check.identity})` : ""}`);
        for (const warning of check.warnings) out(`warning: ${warning}`);
        return 0;
      }
      await store.markVerified(accountId, provider, { at, error: check.error });
      process.stderr.write(`${check.error}\n${check.hints.map((h) => `- ${h}`).join("\n")}\n`);
      return 1;
    }
    case "remove": {
      const { accountId, provider } = accountAndProvider(rest);
      const removed = await store.remove(accountId, provider);
      out(removed ? `removed the ${provider} token of account ${accountId}` : `no ${provider} token was stored for account ${accountId}`);
      return 0;
    }
    default:
      throw new UsageError("tokens takes set, list, verify or remove");
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (existsSync(".env")) process.loadEnvFile(".env");
  try {
    if (command === "analyze") return await analyze(args);
    if (command === "resolve") return resolve(args, loadConfig());
    if (command === "tokens") return await tokens(args, loadConfig());
    if (command === "help" || command === "--help" || command === undefined) {
      out(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${command}`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ci-mender: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const message = error instanceof CiMenderError ? error.message : describeError(error);
    process.stderr.write(`ci-mender: ${message}\n`);
    return 1;
  }
}

process.exitCode = await runCli(process.argv.slice(2));
