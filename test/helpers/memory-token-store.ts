import type { TokenProviderId } from "../../src/ci-kinds.ts";
import { metadataFor, type StoredToken, type TokenMetadata, type TokenStore, type TokenWrite } from "../../src/secrets/token-store.ts";

/** A TokenStore in a Map that records every write, for tests that prove a refused request wrote nothing. */
export class MemoryTokenStore implements TokenStore {
  readonly values = new Map<string, StoredToken>();
  readonly writes: string[] = [];
  /** Make every call fail as an unreachable backend would. */
  failing: Error | null = null;

  async get(accountId: number, provider: TokenProviderId): Promise<StoredToken | null> {
    this.#check();
    return this.values.get(`${accountId}/${provider}`) ?? null;
  }

  async set(accountId: number, provider: TokenProviderId, value: TokenWrite): Promise<TokenMetadata> {
    this.#check();
    this.writes.push(`set ${accountId}/${provider}`);
    const previous = this.values.get(`${accountId}/${provider}`);
    const metadata = metadataFor(accountId, provider, value, previous?.metadata);
    this.values.set(`${accountId}/${provider}`, { token: value.token, metadata });
    return metadata;
  }

  async markVerified(accountId: number, provider: TokenProviderId, result: { at: string; error: string | null }): Promise<void> {
    this.#check();
    const stored = this.values.get(`${accountId}/${provider}`);
    if (!stored) return;
    this.writes.push(`markVerified ${accountId}/${provider}`);
    stored.metadata = result.error ? { ...stored.metadata, lastError: result.error } : { ...stored.metadata, verifiedAt: result.at, lastError: null };
  }

  async remove(accountId: number, provider: TokenProviderId): Promise<boolean> {
    this.#check();
    this.writes.push(`remove ${accountId}/${provider}`);
    return this.values.delete(`${accountId}/${provider}`);
  }

  async list(accountId?: number): Promise<TokenMetadata[]> {
    this.#check();
    return [...this.values.values()].map((v) => v.metadata).filter((m) => accountId === undefined || m.accountId === accountId);
  }

  #check(): void {
    if (this.failing) throw this.failing;
  }
}
