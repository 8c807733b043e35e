import { z } from "zod";
import { TOKEN_PROVIDER_IDS, type TokenProviderId } from "../ci-kinds.ts";

/** What is kept beside a token. Safe to show: it never holds the token itself. */
export interface TokenMetadata {
  accountId: number;
  provider: TokenProviderId;
  /** The token's last four characters, the only part ever shown. */
  last4: string;
  createdAt: string;
  updatedAt: string;
  /** When a test API call last accepted it. */
  verifiedAt: string | null;
  /** The last verification error, while the token is failing. */
  lastError: string | null;
  /** Scopes the provider reported at verification, where it reports them. */
  scopes: string[] | null;
  /** GitHub login of the admin who last connected or rotated it. */
  updatedBy: string | null;
}

/** Metadata as stores persist it: read back through this schema, so a tampered record is refused, not trusted. */
export const TokenMetadataSchema = z.object({
  accountId: z.number().int(),
  provider: z.enum(TOKEN_PROVIDER_IDS),
  last4: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  verifiedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  scopes: z.array(z.string()).nullable(),
  updatedBy: z.string().nullable(),
}) satisfies z.ZodType<TokenMetadata>;

/** The metadata a write leaves: only the last four characters of the token, the creation time carried over. */
export function metadataFor(
  accountId: number,
  provider: TokenProviderId,
  write: TokenWrite,
  previous: TokenMetadata | null | undefined,
  now = new Date().toISOString(),
): TokenMetadata {
  return {
    accountId,
    provider,
    last4: write.token.slice(-4),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
    verifiedAt: write.verifiedAt,
    lastError: null,
    scopes: write.scopes ? [...write.scopes] : null,
    updatedBy: write.updatedBy,
  };
}

export interface StoredToken {
  token: string;
  metadata: TokenMetadata;
}

export interface TokenWrite {
  token: string;
  verifiedAt: string | null;
  scopes: readonly string[] | null;
  updatedBy: string | null;
}

/**
 * Per-account CI tokens. Keys are the GitHub account's numeric id and the provider; values are encrypted at rest.
 * Every method throws `StoreUnavailable` when the backing store cannot be reached, so that "no token" (null) is
 * never confused with "could not look".
 */
export interface TokenStore {
  get(accountId: number, provider: TokenProviderId): Promise<StoredToken | null>;
  set(accountId: number, provider: TokenProviderId, value: TokenWrite): Promise<TokenMetadata>;
  /** Records the outcome of a later verification without touching the token. */
  markVerified(accountId: number, provider: TokenProviderId, result: { at: string; error: string | null }): Promise<void>;
  /** Returns whether a token was there. */
  remove(accountId: number, provider: TokenProviderId): Promise<boolean>;
  /** Metadata of every stored token (of one account when given); never the values. */
  list(accountId?: number): Promise<TokenMetadata[]>;
}
