import type { ProviderSettings } from "../types.ts";

export const NAME = "Bitrise";

/**
 * Bitrise documents the bare token as the `Authorization` value (`Authorization: <token>`), and its own CLI and
 * MCP server send it that way; the older `token <token>` form is not needed.
 */
export function auth(token: string): { provider: string; headers: Record<string, string> } {
  return { provider: NAME, headers: { authorization: token } };
}

/** `https://api.bitrise.io/v0.1/<segments>`; every segment is an id that passed a grammar or came from the API. */
export function bitriseApi(
  settings: Pick<ProviderSettings, "apiOrigins">,
  segments: readonly string[],
  query: Record<string, string> = {},
): URL {
  const url = new URL(`/v0.1/${segments.map(encodeURIComponent).join("/")}`, settings.apiOrigins.bitrise);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}
