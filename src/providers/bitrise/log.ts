import { LogTooLarge, UnsafeUrl } from "../../errors.ts";
import type { LogChunk } from "../../logs/types.ts";
import { formatBytes } from "../http.ts";
import { checkLogUrl, type LogHostRule } from "../log-hosts.ts";
import type { FailedJob, FetchContext } from "../types.ts";
import { auth, bitriseApi } from "./api.ts";
import { type BitriseLog, BuildLog } from "./schema.ts";

/**
 * Where Bitrise's `expiring_raw_log_url` points: its log archive bucket on Google Cloud Storage (path-style on the
 * shared host, or virtual-hosted), and the Amazon S3 bucket of the same name that older answers used.
 */
const LOG_HOSTS: readonly LogHostRule[] = [
  "storage.googleapis.com",
  /^bitrise-[a-z0-9-]+\.storage\.googleapis\.com$/,
  /^bitrise-[a-z0-9-]+\.s3(?:\.[a-z0-9-]+)?\.amazonaws\.com$/,
];

/** On the shared Google Cloud Storage host anyone can own a bucket: only Bitrise's are accepted. */
function checkBitriseLogUrl(raw: string, extraHosts: readonly string[]): URL {
  const url = checkLogUrl(raw, LOG_HOSTS, extraHosts);
  const sharedHost = url.hostname === "storage.googleapis.com" && !extraHosts.includes(url.hostname);
  if (sharedHost && !/^\/bitrise-[a-z0-9-]+\//.test(url.pathname)) {
    throw new UnsafeUrl("the Bitrise log URL points at a storage bucket that is not Bitrise's; it was not fetched");
  }
  return url;
}

/** Chunks in `position` order, stopping at the same byte cap as a streamed download. */
async function* chunksInOrder(chunks: NonNullable<BuildLog["log_chunks"]>, maxBytes: number): AsyncGenerator<string> {
  let seen = 0;
  for (const { chunk } of [...chunks].sort((a, b) => a.position - b.position)) {
    seen += Buffer.byteLength(chunk);
    if (seen > maxBytes) throw new LogTooLarge(`the Bitrise log is larger than ${formatBytes(maxBytes)}; reading stopped there`);
    yield chunk;
  }
}

/**
 * The build log: the full text from the presigned `expiring_raw_log_url`, fetched with no credentials; while a
 * log is not archived yet, the `log_chunks` the API returned instead.
 */
export async function* openBitriseLog(job: FailedJob<BitriseLog>, ctx: FetchContext): AsyncGenerator<LogChunk> {
  const url = bitriseApi(ctx.settings, ["apps", job.log.app, "builds", job.log.build, "log"]);
  const log = await ctx.http.getJson(url, BuildLog, auth(ctx.token));
  const maxBytes = ctx.settings.maxLogBytes;
  if (log.expiring_raw_log_url) {
    const raw = checkBitriseLogUrl(log.expiring_raw_log_url, ctx.settings.extraLogHosts);
    yield* ctx.http.bytes(raw, { provider: "Bitrise log storage", maxBytes });
    return;
  }
  yield* chunksInOrder(log.log_chunks ?? [], maxBytes);
}
