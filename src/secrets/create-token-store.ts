import type { Keyv } from "keyv";
import type { Config } from "../config.ts";
import { AwsSecretsManagerTokenStore } from "./aws-secrets-manager.ts";
import { createLocalTokenStore } from "./local-token-store.ts";
import type { TokenStore } from "./token-store.ts";

/**
 * The token store the configuration names: the local encrypted store by default, or AWS Secrets Manager.
 * `keyv` is where the local store keeps its sealed records (Redis when replicas share them).
 */
export function createTokenStore(config: Config, keyv?: Keyv): TokenStore {
  const store = config.tokenStore;
  if (store.kind === "aws") {
    return new AwsSecretsManagerTokenStore({
      prefix: store.prefix,
      kmsKeyId: store.kmsKeyId,
      recoveryDays: store.recoveryDays,
      region: store.region,
    });
  }
  return createLocalTokenStore({ dataDir: config.dataDir, encryptionKey: config.encryptionKey, ...(keyv ? { keyv } : {}) });
}
