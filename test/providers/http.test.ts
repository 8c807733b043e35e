import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  LogTooLarge,
  NotFound,
  ProviderResponseInvalid,
  ProviderUnavailable,
  TokenInvalid,
} from "../../src/errors.ts";
import { CiHttp } from "../../src/providers/http.ts";

const TOKEN = "CCIPAT_secretsecretsecret12_ffffffffffffffffffffffffffffffffffffffff";
const servers: http.Server[] = [];

type Seen = { path: string; headers: http.IncomingHttpHeaders };

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? "", headers: req.headers });
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const req = { provider: "CircleCI", headers: { "circle-token": TOKEN } };
const client = () => new CiHttp({ retryLimit: 0, timeoutMs: 2_000 });

describe("the CI HTTP client", () => {
  it("never follows a redirect, so the token cannot travel to another origin", async () => {
    const elsewhere = await serve((_req, res) => res.end("{}"));
    const api = await serve((_req, res) => res.writeHead(302, { location: `${elsewhere.origin}/steal` }).end());
    await expect(client().getJson(new URL(`${api.origin}/api/v2/me`), z.object({}), req)).rejects.toBeInstanceOf(ProviderResponseInvalid);
    expect(elsewhere.seen).toHaveLength(0);
  });

  it("returns a documented redirect's Location without fetching it", async () => {
    const elsewhere = await serve((_req, res) => res.end("log"));
    const api = await serve((_req, res) => res.writeHead(302, { location: `${elsewhere.origin}/signed?sig=1` }).end());
    const location = await client().redirectLocation(new URL(`${api.origin}/logs`), req);
    expect(location).toBe(`${elsewhere.origin}/signed?sig=1`);
    expect(elsewhere.seen).toHaveLength(0);
  });

  it("turns 401 into TokenInvalid with the provider's words, and never repeats the token", async () => {
    const api = await serve((_req, res) => res.writeHead(401, { "content-type": "text/plain" }).end(`Invalid token provided: ${TOKEN}`));
    const error = await client().getJson(new URL(`${api.origin}/x`), z.object({}), req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenInvalid);
    expect((error as Error).message).toContain("Invalid token provided");
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it("turns 404 into NotFound", async () => {
    const api = await serve((_req, res) => res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not found"}'));
    await expect(client().getJson(new URL(`${api.origin}/x`), z.object({}), req)).rejects.toBeInstanceOf(NotFound);
  });

  it("turns 429 into a retryable error carrying Retry-After", async () => {
    const api = await serve((_req, res) => res.writeHead(429, { "retry-after": "42" }).end("{}"));
    const error = await client().getJson(new URL(`${api.origin}/x`), z.object({}), req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect((error as ProviderUnavailable).retryAfterSeconds).toBe(42);
  });

  it("waits for the longer of Buildkite's organisation and user rate-limit resets", async () => {
    const api = await serve((_req, res) => res.writeHead(429, { "ratelimit-reset": "12", "ratelimit-user-reset": "40" }).end("{}"));
    const error = await client().getJson(new URL(`${api.origin}/x`), z.object({}), req).catch((e: unknown) => e);
    expect((error as ProviderUnavailable).retryAfterSeconds).toBe(40);
  });

  it("treats GitHub's exhausted rate limit (403) as a wait, not a bad token", async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 90);
    const api = await serve((_req, res) =>
      res.writeHead(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset, "content-type": "application/json" }).end('{"message":"API rate limit exceeded"}'),
    );
    const error = await client().getJson(new URL(`${api.origin}/x`), z.object({}), req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect((error as ProviderUnavailable).retryAfterSeconds).toBeGreaterThan(80);
    expect((error as ProviderUnavailable).retryAfterSeconds).toBeLessThanOrEqual(91);
  });

  it("keeps a plain 403 a token problem", async () => {
    const api = await serve((_req, res) => res.writeHead(403, { "content-type": "application/json" }).end('{"message":"Resource not accessible by integration"}'));
    await expect(client().getJson(new URL(`${api.origin}/x`), z.object({}), req)).rejects.toBeInstanceOf(TokenInvalid);
  });

  it("retries a 502 for idempotent reads and then succeeds", async () => {
    let calls = 0;
    const api = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(502).end();
      else res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    const value = await new CiHttp({ retryLimit: 2, timeoutMs: 2_000 }).getJson(new URL(`${api.origin}/x`), z.object({ ok: z.boolean() }), req);
    expect(value).toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it("rejects an answer that is not the documented shape, naming where", async () => {
    const api = await serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"id":42}'));
    await expect(client().getJson(new URL(`${api.origin}/x`), z.object({ id: z.string() }), req)).rejects.toThrow(/unexpected shape \(at id\)/);
  });

  it("rejects an answer that is not JSON", async () => {
    const api = await serve((_req, res) => res.writeHead(200).end("<html>login</html>"));
    await expect(client().getJson(new URL(`${api.origin}/x`), z.object({}), req)).rejects.toThrow(/not JSON/);
  });

  it("gives up on a server that does not answer in time", async () => {
    const api = await serve(() => {
      /* never answers */
    });
    const error = await new CiHttp({ retryLimit: 0, timeoutMs: 300 }).getJson(new URL(`${api.origin}/x`), z.object({}), req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect((error as Error).message).toMatch(/could not reach CircleCI/);
  });

  it("reports a refused connection as unavailable", async () => {
    const api = await serve(() => {});
    const origin = api.origin;
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    await expect(client().getJson(new URL(`${origin}/x`), z.object({}), req)).rejects.toBeInstanceOf(ProviderUnavailable);
  });

  it("streams the body up to the byte cap, then stops with LogTooLarge", async () => {
    const api = await serve((_req, res) => {
      res.writeHead(200);
      res.end("line\n".repeat(10_000));
    });
    const chunks: Buffer[] = [];
    const reading = (async () => {
      for await (const chunk of client().bytes(new URL(`${api.origin}/log`), { ...req, maxBytes: 1_000 })) chunks.push(chunk);
    })();
    await expect(reading).rejects.toBeInstanceOf(LogTooLarge);
    expect(Buffer.concat(chunks).toString("utf8")).toBe("line\n".repeat(200));
  });

  it("counts decompressed bytes, so a gzip bomb stops at the cap", async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, "a"));
    const api = await serve((_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(bomb));
    let read = 0;
    const reading = (async () => {
      for await (const chunk of client().bytes(new URL(`${api.origin}/log`), { ...req, maxBytes: 1024 * 1024 })) read += chunk.length;
    })();
    await expect(reading).rejects.toBeInstanceOf(LogTooLarge);
    expect(read).toBeLessThanOrEqual(1024 * 1024);
  });

  it("sends no header it was not given (a signed URL gets no credentials)", async () => {
    const storage = await serve((_req, res) => res.end("ok\n"));
    for await (const _ of client().bytes(new URL(`${storage.origin}/signed`), { provider: "storage", maxBytes: 100 })) {
      // drain
    }
    expect(storage.seen[0]?.headers.authorization).toBeUndefined();
    expect(storage.seen[0]?.headers["circle-token"]).toBeUndefined();
  });
});
