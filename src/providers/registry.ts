import { circleci } from "./circleci/index.ts";
import type { BuildRef, CiProvider, ProviderId, ResolveInput } from "./types.ts";

/** Every CI provider ci-mender knows. A test compares it with the folders under src/providers/. */
export const providers: ReadonlyMap<ProviderId, CiProvider> = new Map<ProviderId, CiProvider>([
  [circleci.id, circleci],
]);

export function getProvider(id: ProviderId): CiProvider {
  const provider = providers.get(id);
  if (!provider) throw new Error(`unknown provider ${id}`);
  return provider;
}

/** The first provider that recognises the check, with its parsed ids; null when none does. */
export function resolveBuild(input: ResolveInput): { provider: CiProvider; ref: BuildRef } | null {
  for (const provider of providers.values()) {
    const ref = provider.resolve(input);
    if (ref) return { provider, ref };
  }
  return null;
}
