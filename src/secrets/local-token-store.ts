import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Keyv, KeyvBridgeAdapter } from "keyv";
import { z } from "zod";
import { ConfigError, TokenUnreadable } from "../errors.ts";
import type { TokenProviderId } from "../ci-kinds.ts";
import { keyvCall } from "./keyv-call.ts";
import { SqliteKeyvStore } from "./sqlite-keyv-store.ts";
import { TokenMetadataSchema, metadataFor, type StoredToken, type TokenMetadata, type TokenStore, type TokenWrite } from "./token-store.ts";

const KEY_FILE = "encryption.key";

/** What is written to keyv: the token sealed with AES-256-GCM, metadata in clear (it holds no secret). */
const Envelope = z.object({
  v: z.literal(1),
  iv: z.string(),
  ct: z.string(),
  tag: z.string(),
  metadata: TokenMetadataSchema,
});
type Envelope = z.infer<typeof Envelope>;

/** The key a ciphertext is bound to: a record copied into another account's or provider's slot fails to open. */
function aad(accountId: number, provider: TokenProviderId): Buffer {
  return Buffer.from(`ci-mender|v1|${accountId}|${provider}`);
}

function seal(key: Buffer, accountId: number, provider: TokenProviderId, token: string): Pick<Envelope, "iv" | "ct" | "tag"> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
  cipher.setAAD(aad(accountId, provider));
  const ct = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return { iv: iv.toString("base64"), ct: ct.toString("base64"), tag: cipher.getAuthTag().toString("base64") };
}

function open(key: Buffer, envelope: Envelope, accountId: number, provider: TokenProviderId): string {
  const tag = Buffer.from(envelope.tag, "base64");
  if (tag.length !== 16) throw new Error("bad tag length");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(envelope.iv, "base64"), { authTagLength: 16 });
  decipher.setAAD(aad(accountId, provider));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(envelope.ct, "base64")), decipher.final()]).toString("utf8");
}

/**
 * The encryption key: `CI_MENDER_ENCRYPTION_KEY` (32 bytes, base64) when set, else the one in the data
 * directory, generated there with 0600 permissions on first start.
 */
export function loadEncryptionKey(dataDir: string, fromEnv: string | undefined): Buffer {
  const decode = (text: string, where: string): Buffer => {
    const key = Buffer.from(text.trim(), "base64");
    if (key.length !== 32) throw new ConfigError(`${where} must be 32 bytes encoded as base64 (e.g. \`openssl rand -base64 32\`)`);
    return key;
  };
  if (fromEnv) return decode(fromEnv, "CI_MENDER_ENCRYPTION_KEY");
  const file = path.join(dataDir, KEY_FILE);
  try {
    return decode(readFileSync(file, "utf8"), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return key;
}

export interface LocalTokenStoreOptions {
  dataDir: string;
  encryptionKey?: string | undefined;
  /** Another keyv (Redis, for replicas); the SQLite file in the data directory by default. */
  keyv?: Keyv;
}

/** Tokens on disk (or any keyv backend), sealed with AES-256-GCM and bound to (account id, provider). */
export function createLocalTokenStore(options: LocalTokenStoreOptions): TokenStore {
  const key = loadEncryptionKey(options.dataDir, options.encryptionKey);
  const keyv =
    options.keyv ??
    new Keyv({
      store: new KeyvBridgeAdapter(new SqliteKeyvStore(path.join(options.dataDir, "ci-mender.sqlite"))),
      namespace: "tokens",
    });
  return new LocalTokenStore(keyv, key);
}

class LocalTokenStore implements TokenStore {
  readonly #keyv: Keyv;
  readonly #key: Buffer;

  constructor(keyv: Keyv, key: Buffer) {
    this.#keyv = keyv;
    this.#key = key;
  }

  async get(accountId: number, provider: TokenProviderId): Promise<StoredToken | null> {
    const envelope = await this.#read(accountId, provider);
    if (!envelope) return null;
    try {
      return { token: open(this.#key, envelope, accountId, provider), metadata: envelope.metadata };
    } catch {
      throw new TokenUnreadable(
        `the stored ${provider} token of account ${accountId} cannot be decrypted (another encryption key, or a record moved from another account); connect it again at /setup`,
      );
    }
  }

  async set(accountId: number, provider: TokenProviderId, value: TokenWrite): Promise<TokenMetadata> {
    const previous = await this.#read(accountId, provider).catch(() => null);
    const metadata = metadataFor(accountId, provider, value, previous?.metadata);
    await this.#write(accountId, provider, { v: 1, ...seal(this.#key, accountId, provider, value.token), metadata });
    return metadata;
  }

  async markVerified(accountId: number, provider: TokenProviderId, result: { at: string; error: string | null }): Promise<void> {
    const envelope = await this.#read(accountId, provider);
    if (!envelope) return;
    const metadata = result.error
      ? { ...envelope.metadata, lastError: result.error }
      : { ...envelope.metadata, verifiedAt: result.at, lastError: null };
    await this.#write(accountId, provider, { ...envelope, metadata });
  }

  async remove(accountId: number, provider: TokenProviderId): Promise<boolean> {
    return keyvCall(this.#keyv, "token store", () => this.#keyv.delete(slot(accountId, provider)));
  }

  async list(accountId?: number): Promise<TokenMetadata[]> {
    return keyvCall(this.#keyv, "token store", async () => {
      const out: TokenMetadata[] = [];
      if (!this.#keyv.iterator) throw new Error("keyv backend cannot iterate");
      for await (const [, value] of this.#keyv.iterator()) {
        const parsed = Envelope.safeParse(value);
        if (parsed.success && (accountId === undefined || parsed.data.metadata.accountId === accountId)) {
          out.push(parsed.data.metadata);
        }
      }
      return out.sort((a, b) => a.accountId - b.accountId || a.provider.localeCompare(b.provider));
    });
  }

  async #read(accountId: number, provider: TokenProviderId): Promise<Envelope | null> {
    const value = await keyvCall(this.#keyv, "token store", () => this.#keyv.get(slot(accountId, provider)));
    if (value === undefined || value === null) return null;
    const parsed = Envelope.safeParse(value);
    if (!parsed.success) {
      throw new TokenUnreadable(`the stored ${provider} token of account ${accountId} is malformed; connect it again at /setup`);
    }
    return parsed.data;
  }

  async #write(accountId: number, provider: TokenProviderId, envelope: Envelope): Promise<void> {
    await keyvCall(this.#keyv, "token store", () => this.#keyv.set(slot(accountId, provider), envelope));
  }
}

function slot(accountId: number, provider: TokenProviderId): string {
  return `${accountId}:${provider}`;
}
