import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import { ConfigError, StoreUnavailable, TokenUnreadable } from "../errors.ts";
import { TOKEN_PROVIDER_IDS, type TokenProviderId } from "../ci-kinds.ts";
import { TokenMetadataSchema, metadataFor, type StoredToken, type TokenMetadata, type TokenStore, type TokenWrite } from "./token-store.ts";

export interface AwsSecretsManagerTokenStoreOptions {
  /** Secret names are `<prefix>/<account id>/<provider>`. */
  prefix: string;
  /** Customer-managed KMS key for new secrets; the account's `aws/secretsmanager` key when unset. */
  kmsKeyId?: string | undefined;
  /** Days a removed token can still be restored (AWS allows 7 to 30). */
  recoveryDays: number;
  region?: string | undefined;
  /** A configured client (endpoint, credentials); one is built from `region` and the default chain otherwise. */
  client?: SecretsManagerClient;
  /** How long a read is reused in this process; at most 5 minutes. */
  cacheTtlMs?: number;
}

const MAX_CACHE_TTL_MS = 5 * 60_000;

/** The secret's value: token and metadata together, so one read (and one IAM grant) covers both. */
const SecretValue = z.object({ token: z.string().min(1), metadata: TokenMetadataSchema });

/** A secret under the name whose value is not ours (malformed, or copied from another account's secret). */
type Slot = { state: "absent" } | { state: "deleted" } | { state: "unreadable" } | { state: "active"; value: StoredToken };

/**
 * Tokens in AWS Secrets Manager, one secret per (account id, provider), tagged with both. Removal schedules
 * deletion with a recovery window; connecting the same account again within it restores the secret.
 */
export class AwsSecretsManagerTokenStore implements TokenStore {
  readonly #client: SecretsManagerClient;
  readonly #prefix: string;
  readonly #kmsKeyId: string | undefined;
  readonly #recoveryDays: number;
  readonly #cacheTtlMs: number;
  readonly #cache = new Map<string, { value: StoredToken; expiresAt: number }>();

  constructor(options: AwsSecretsManagerTokenStoreOptions) {
    if (!/^[A-Za-z0-9/_+=.@-]{1,200}$/.test(options.prefix)) {
      throw new ConfigError("the secret prefix may use letters, digits and /_+=.@- only");
    }
    if (!Number.isInteger(options.recoveryDays) || options.recoveryDays < 7 || options.recoveryDays > 30) {
      throw new ConfigError("the recovery window must be 7 to 30 days (an AWS limit)");
    }
    this.#prefix = options.prefix.replace(/\/+$/, "");
    this.#kmsKeyId = options.kmsKeyId;
    this.#recoveryDays = options.recoveryDays;
    this.#cacheTtlMs = Math.min(options.cacheTtlMs ?? 60_000, MAX_CACHE_TTL_MS);
    this.#client =
      options.client ??
      new SecretsManagerClient({
        region: options.region,
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
      });
  }

  async get(accountId: number, provider: TokenProviderId): Promise<StoredToken | null> {
    const name = this.#name(accountId, provider);
    const cached = this.#cache.get(name);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    const slot = await this.#read(accountId, provider);
    if (slot.state === "unreadable") throw unreadable(accountId, provider);
    return slot.state === "active" ? slot.value : null;
  }

  async set(accountId: number, provider: TokenProviderId, write: TokenWrite): Promise<TokenMetadata> {
    const name = this.#name(accountId, provider);
    const slot = await this.#read(accountId, provider);
    const metadata = metadataFor(accountId, provider, write, slot.state === "active" ? slot.value.metadata : null);
    const value: StoredToken = { token: write.token, metadata };
    if (slot.state === "absent") await this.#create(accountId, provider, value);
    else {
      if (slot.state === "deleted") await this.#call("RestoreSecret", () => this.#client.send(new RestoreSecretCommand({ SecretId: name })));
      await this.#put(name, value);
    }
    this.#remember(name, value);
    return metadata;
  }

  async markVerified(accountId: number, provider: TokenProviderId, result: { at: string; error: string | null }): Promise<void> {
    const slot = await this.#read(accountId, provider);
    if (slot.state === "unreadable") throw unreadable(accountId, provider);
    if (slot.state !== "active") return;
    const { token, metadata } = slot.value;
    const next: StoredToken = {
      token,
      metadata: result.error ? { ...metadata, lastError: result.error } : { ...metadata, verifiedAt: result.at, lastError: null },
    };
    const name = this.#name(accountId, provider);
    await this.#put(name, next);
    this.#remember(name, next);
  }

  async remove(accountId: number, provider: TokenProviderId): Promise<boolean> {
    const name = this.#name(accountId, provider);
    this.#cache.delete(name);
    const slot = await this.#read(accountId, provider);
    if (slot.state !== "active" && slot.state !== "unreadable") return false;
    await this.#call("DeleteSecret", () =>
      this.#client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: this.#recoveryDays })),
    );
    this.#cache.delete(name);
    return true;
  }

  async list(accountId?: number): Promise<TokenMetadata[]> {
    const namePrefix = accountId === undefined ? `${this.#prefix}/` : `${this.#prefix}/${accountId}/`;
    const slots: { accountId: number; provider: TokenProviderId }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#call("ListSecrets", () =>
        this.#client.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [namePrefix] }], NextToken: nextToken })),
      );
      for (const entry of page.SecretList ?? []) {
        const parsed = this.#parseName(entry.Name);
        if (parsed && (accountId === undefined || parsed.accountId === accountId)) slots.push(parsed);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    const out: TokenMetadata[] = [];
    for (const slot of slots) {
      const cached = this.#cache.get(this.#name(slot.accountId, slot.provider));
      const read: Slot = cached && cached.expiresAt > Date.now() ? { state: "active", value: cached.value } : await this.#read(slot.accountId, slot.provider);
      // An unreadable secret has no metadata to show; connecting again overwrites it.
      if (read.state === "active") out.push(read.value.metadata);
    }
    return out.sort((a, b) => a.accountId - b.accountId || a.provider.localeCompare(b.provider));
  }

  #name(accountId: number, provider: TokenProviderId): string {
    if (!Number.isSafeInteger(accountId) || accountId <= 0) throw new Error(`invalid account id ${accountId}`);
    return `${this.#prefix}/${accountId}/${provider}`;
  }

  /** Names other than `<prefix>/<digits>/<provider>` (secrets someone else put under the prefix) are ignored. */
  #parseName(name: string | undefined): { accountId: number; provider: TokenProviderId } | null {
    if (!name?.startsWith(`${this.#prefix}/`)) return null;
    const match = /^(\d{1,15})\/([a-z-]+)$/.exec(name.slice(this.#prefix.length + 1));
    const provider = TOKEN_PROVIDER_IDS.find((id) => id === match?.[2]);
    return match?.[1] && provider ? { accountId: Number(match[1]), provider } : null;
  }

  async #read(accountId: number, provider: TokenProviderId): Promise<Slot> {
    const name = this.#name(accountId, provider);
    let secretString: string | undefined;
    try {
      const answer = await this.#client.send(new GetSecretValueCommand({ SecretId: name }));
      secretString = answer.SecretString;
    } catch (error) {
      if (errorName(error) === "ResourceNotFoundException") return this.#forget(name, { state: "absent" });
      if (isScheduledForDeletion(error)) return this.#forget(name, { state: "deleted" });
      throw unavailable("GetSecretValue", error);
    }
    const value = parseValue(secretString);
    // A value copied from another account's secret, or written by something else, is never used.
    if (!value || value.metadata.accountId !== accountId || value.metadata.provider !== provider) return this.#forget(name, { state: "unreadable" });
    this.#remember(name, value);
    return { state: "active", value };
  }

  async #create(accountId: number, provider: TokenProviderId, value: StoredToken): Promise<void> {
    const name = this.#name(accountId, provider);
    try {
      await this.#client.send(
        new CreateSecretCommand({
          Name: name,
          Description: `ci-mender: ${provider} API token of GitHub account ${accountId}`,
          SecretString: JSON.stringify(value),
          KmsKeyId: this.#kmsKeyId,
          Tags: [
            { Key: "ci-mender:account-id", Value: String(accountId) },
            { Key: "ci-mender:provider", Value: provider },
          ],
        }),
      );
    } catch (error) {
      // Another replica created it, or removed it, since we looked: finish the same way it would have.
      if (errorName(error) === "ResourceExistsException") return this.#put(name, value);
      if (isScheduledForDeletion(error)) {
        await this.#call("RestoreSecret", () => this.#client.send(new RestoreSecretCommand({ SecretId: name })));
        return this.#put(name, value);
      }
      throw unavailable("CreateSecret", error);
    }
  }

  async #put(name: string, value: StoredToken): Promise<void> {
    await this.#call("PutSecretValue", () =>
      this.#client.send(new PutSecretValueCommand({ SecretId: name, SecretString: JSON.stringify(value) })),
    );
  }

  async #call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw unavailable(operation, error);
    }
  }

  #remember(name: string, value: StoredToken): void {
    this.#cache.set(name, { value, expiresAt: Date.now() + this.#cacheTtlMs });
  }

  #forget(name: string, slot: Slot): Slot {
    this.#cache.delete(name);
    return slot;
  }
}

function parseValue(secretString: string | undefined): StoredToken | null {
  if (!secretString) return null;
  try {
    const parsed = SecretValue.safeParse(JSON.parse(secretString));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function unreadable(accountId: number, provider: TokenProviderId): TokenUnreadable {
  return new TokenUnreadable(`the stored ${provider} token of account ${accountId} is malformed; connect it again at /setup`);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "Error";
}

function isScheduledForDeletion(error: unknown): boolean {
  return errorName(error) === "InvalidRequestException" && /(marked|scheduled) for deletion/i.test((error as Error).message);
}

/** Throttling, 5xx, network and permission failures alike: "could not look", never "no token". */
function unavailable(operation: string, error: unknown): StoreUnavailable {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const detail = status ? `${errorName(error)}, HTTP ${status}` : errorName(error);
  return new StoreUnavailable(`AWS Secrets Manager ${operation} failed (${detail}); the token store is unavailable, try again later`, {
    cause: error,
  });
}
