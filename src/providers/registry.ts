import { bitrise } from "./bitrise/index.ts";
import { buildkite } from "./buildkite/index.ts";
import { circleci } from "./circleci/index.ts";
import { githubActions } from "./github-actions/index.ts";
import type { BuildRef, CiProvider, ProviderId, ProviderSettings, ResolveInput } from "./types.ts";

/** Every CI provider ci-mender knows. A test compares it with the folders under src/providers/. */
export const providers: ReadonlyMap<ProviderId, CiProvider> = new Map<ProviderId, CiProvider>([
  [circleci.id, circleci],
  [buildkite.id, buildkite],
  [bitrise.id, bitrise],
  [githubActions.id, githubActions],
]);

export function getProvider(id: ProviderId): CiProvider {
  const provider = providers.get(id);
  if (!provider) throw new Error(`unknown provider ${id}`);
  return provider;
}

/** The first provider that recognises the check, with its parsed ids; null when none does. */
export function resolveBuild(
  input: ResolveInput,
  settings: ProviderSettings,
): { provider: CiProvider; ref: BuildRef } | null {
  for (const provider of providers.values()) {
    const ref = provider.resolve(input, settings);
    if (ref) return { provider, ref };
  }
  return null;
}
