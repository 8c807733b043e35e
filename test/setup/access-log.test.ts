import { afterEach, describe, expect, it } from "vitest";
import { OWNER, SetupHarness } from "./harness.ts";

let harness: SetupHarness;

afterEach(async () => {
  await harness.stop();
});

function accessLines(logs: string[]): { msg: string; req?: { url?: string; headers?: Record<string, string> }; res?: { headers?: Record<string, unknown> } }[] {
  return logs.map((line) => JSON.parse(line)).filter((entry) => entry.name === "http");
}

describe("Probot's access log around /setup", () => {
  it("records the callback without its code and state, and no cookie, when the logger carries accessLogRedaction", async () => {
    harness = await new SetupHarness().start();
    const browser = await harness.signedIn(OWNER.login);
    await browser.get("/setup");
    const session = browser.cookies.get(harness.baseUrl)?.get("__Host-ci-mender-session") ?? "";
    const lines = accessLines(harness.logs);
    const callback = lines.find((line) => line.msg.startsWith("GET /setup/callback"));
    expect(callback?.msg).toMatch(/^GET \/setup\/callback\?\[redacted\] 303 - \d+ms$/);
    expect(callback?.req?.url).toBe("/setup/callback?[redacted]");
    const text = harness.logs.join("\n");
    for (const secret of [...harness.github.secretsSeen, session]) expect(text).not.toContain(secret);
  });

  it("keeps code and state out of the message on its own, and leaves set-cookie and location out of res.headers", async () => {
    harness = await new SetupHarness({ withoutRedaction: true }).start();
    await harness.signedIn(OWNER.login);
    const lines = accessLines(harness.logs);
    const callback = lines.find((line) => line.msg.startsWith("GET /setup/callback"));
    expect(callback?.msg).toMatch(/^GET \/setup\/callback\?\[redacted\] 303 - \d+ms$/);
    for (const line of lines) expect(line.res?.headers ?? {}).toEqual({});
  });

  it("cannot keep them out of the request binding without the logger's redaction, which is why main.ts needs it", async () => {
    harness = await new SetupHarness({ withoutRedaction: true }).start();
    await harness.signedIn(OWNER.login);
    const callback = accessLines(harness.logs).find((line) => line.msg.startsWith("GET /setup/callback"));
    // pino-http serialises the request into its child logger when the request arrives, before any handler runs.
    expect(callback?.req?.url).toMatch(/^\/setup\/callback\?code=[0-9a-f]{20}&state=/);
    expect(callback?.req?.headers?.cookie).toMatch(/^__Host-ci-mender-login=/);
  });
});
