import { Writable } from "node:stream";
import { pino } from "pino";
import { startInProcessApp, type InProcessApp } from "../../demo/in-process-app.ts";
import type { TokenStore } from "../../src/secrets/token-store.ts";

export { DEMO_APP_ID as APP_ID, DEMO_WEBHOOK_SECRET as WEBHOOK_SECRET } from "../../demo/in-process-app.ts";

export interface Harness extends InProcessApp {
  /** Every log line the app wrote (level trace and up), as JSON text. */
  logLines: string[];
}

/**
 * The real app behind Probot's real HTTP server on loopback; GitHub (api.github.com) and the CI APIs are nock'd
 * by each test. Settle time and retry delays are shortened; nothing else is stubbed.
 */
export async function startApp(env: Record<string, string> = {}, options: { tokens?: TokenStore } = {}): Promise<Harness> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  const app = await startInProcessApp({
    env: { CI_MENDER_SETTLE_MS: "30", ...env },
    log: pino({ level: "trace" }, sink),
    ...(options.tokens ? { tokens: options.tokens } : {}),
  });
  return Object.assign(app, { logLines });
}
