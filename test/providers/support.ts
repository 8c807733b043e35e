import net from "node:net";
import nock from "nock";
import type { FailureEvent } from "../../src/events/failure-event.ts";
import { normalise } from "../../src/events/normalise.ts";
import { CiHttp } from "../../src/providers/http.ts";
import type { FetchContext, ProviderSettings } from "../../src/providers/types.ts";
import { fixtureJson } from "../helpers/fixtures.ts";

/** Settings as `loadConfig` builds them for github.com and the public CI APIs. */
export function providerSettings(overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  return {
    apiOrigins: {
      circleci: new URL("https://circleci.com"),
      buildkite: new URL("https://api.buildkite.com"),
      bitrise: new URL("https://api.bitrise.io"),
    },
    githubApiUrl: new URL("https://api.github.com"),
    githubWebUrl: new URL("https://github.com"),
    extraLogHosts: [],
    maxLogBytes: 8 * 1024 * 1024,
    ...overrides,
  };
}

/** The FailureEvent the app builds from a webhook fixture, through the real normaliser. */
export function failureEventFrom(name: "check_run" | "status", fixture: string): FailureEvent {
  const result = normalise(name, "8f1c2e40-fe11-11ef-9a6b-3c8e5a1d2b7f", fixtureJson(fixture), null);
  if (result.kind !== "failure") throw new Error(`${fixture} is not a failure webhook: ${result.kind}`);
  return result.event;
}

export function fetchContext(event: FailureEvent, token: string, settings = providerSettings()): FetchContext {
  return { token, event, http: new CiHttp({ retryLimit: 0 }), settings };
}

/** Same commit, another repository: what a hostile or careless status on `acme/widgets` may point at. */
export function onAnotherRepository(event: FailureEvent): FailureEvent {
  return { ...event, repo: { ...event.repo, id: 999, owner: "acme", name: "gadgets", fullName: "acme/gadgets" } };
}

export function onAnotherCommit(event: FailureEvent): FailureEvent {
  return { ...event, sha: "0000000000000000000000000000000000000001" };
}

export interface SeenRequest {
  method: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
}

/**
 * Every request the given scopes answered, and every one nock could not match, across all hosts: what left the
 * process, with its headers, so a test can say where a credential went.
 */
export function recordRequests(...scopes: nock.Scope[]): { seen: SeenRequest[]; stop(): void } {
  const seen: SeenRequest[] = [];
  const record = (request: Request) => {
    const url = new URL(request.url);
    seen.push({
      method: request.method,
      origin: url.origin,
      path: url.pathname,
      headers: Object.fromEntries([...request.headers.entries()].map(([name, value]) => [name.toLowerCase(), value])),
    });
  };
  for (const scope of scopes) scope.on("request", record);
  nock.emitter.on("no match", record);
  return {
    seen,
    stop() {
      for (const scope of scopes) scope.off("request", record);
      nock.emitter.off("no match", record);
    },
  };
}

/** Header values of every recorded request that carry the token, in any header. */
export function requestsCarrying(seen: readonly SeenRequest[], token: string): SeenRequest[] {
  return seen.filter((request) => Object.values(request.headers).some((value) => value.includes(token)));
}

/** An origin on loopback where nothing listens: connecting to it is refused at once. */
export async function closedOrigin(): Promise<URL> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return new URL(`http://127.0.0.1:${port}`);
}
