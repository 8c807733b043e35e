import { getTransformStream } from "@probot/pino";
import { pino, type Logger } from "pino";
import { accessLogRedaction } from "./setup/index.ts";

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/**
 * The process logger Probot is given: Probot's own format and levels (LOG_LEVEL, LOG_FORMAT,
 * LOG_LEVEL_IN_STRING, LOG_MESSAGE_KEY, SENTRY_DSN), plus redaction of the access log, which records request
 * URLs and cookies before any handler runs (an OAuth callback's `code` and `state`, the session cookie).
 */
export async function createLogger(env: NodeJS.ProcessEnv = process.env): Promise<Logger> {
  const level = LEVELS.find((name) => name === env.LOG_LEVEL) ?? "info";
  const transform = await getTransformStream({
    logFormat: env.LOG_FORMAT === "json" || env.LOG_FORMAT === "pretty" ? env.LOG_FORMAT : env.NODE_ENV === "production" ? "json" : "pretty",
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    sentryDsn: env.SENTRY_DSN,
  });
  transform.pipe(pino.destination(1) as unknown as NodeJS.WritableStream);
  return pino({ name: "probot", level, messageKey: env.LOG_MESSAGE_KEY || "msg", redact: accessLogRedaction }, transform);
}
