import type { LogChunk } from "../../logs/types.ts";
import { assertBuildOfEvent, parseGitRemote } from "../build-origin.ts";
import { UUID } from "../strict-url.ts";
import type { BuildRef, CiProvider, FailedJob, FetchContext } from "../types.ts";
import { Build, BuildkiteLog, BuildkiteRef, type Job } from "./schema.ts";
import { BUILDKITE_WEB_HOST, resolveBuildkite } from "./url.ts";
import { verifyBuildkiteToken } from "./verify-token.ts";

const NAME = "Buildkite";

/** Job states that mean the job failed; `soft_failed` jobs are allowed to fail and are left out. */
const FAILED = new Set(["failed", "timed_out"]);

function auth(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

function buildPath(org: string, pipeline: string, number: string): string {
  const [o, p, n] = [org, pipeline, number].map(encodeURIComponent);
  return `/v2/organizations/${o}/pipelines/${p}/builds/${n}`;
}

/** Parallel copies of a step share its name: their index tells them apart in the comment. */
function jobName(job: Job): string {
  const name = job.name ?? job.label ?? job.step_key ?? job.id;
  const total = job.parallel_group_total ?? 0;
  return total > 1 && job.parallel_group_index != null ? `${name} (${job.parallel_group_index + 1}/${total})` : name;
}

function isFailed(job: Job): boolean {
  // Only script jobs run commands and have logs; a retried job was superseded by its retry.
  return job.type === "script" && FAILED.has(job.state ?? "") && job.soft_failed !== true && job.retried !== true;
}

async function failedJobs({ ids }: BuildRef<BuildkiteRef>, ctx: FetchContext): Promise<FailedJob<BuildkiteLog>[]> {
  const { org, pipeline, number } = ids;
  const onlyJob = ids.kind === "job" ? ids.job : null;
  const onlyStep = ids.kind === "step" ? ids.step : null;
  const url = new URL(buildPath(org, pipeline, number), ctx.settings.apiOrigins.buildkite);
  const build = await ctx.http.getJson(url, Build, { provider: NAME, headers: auth(ctx.token) });
  assertBuildOfEvent(ctx, {
    provider: NAME,
    what: `build ${org}/${pipeline}#${number}`,
    repository: parseGitRemote(build.pipeline.repository),
    commit: build.commit,
  });
  return build.jobs
    .filter(isFailed)
    .filter((job) => UUID.test(job.id))
    .filter((job) => !onlyJob || job.id.toLowerCase() === onlyJob)
    .filter((job) => !onlyStep || job.step?.id?.toLowerCase() === onlyStep)
    .map((job) => ({
      id: job.id,
      name: jobName(job),
      webUrl: `https://${BUILDKITE_WEB_HOST}/${encodeURIComponent(org)}/${encodeURIComponent(pipeline)}/builds/${number}#${job.id}`,
      status: job.state ?? "failed",
      log: { org, pipeline, number, job: job.id },
    }));
}

/**
 * Drops a tail read's bytes up to and including its first line break: the range starts mid-line (and maybe
 * mid-character; a UTF-8 sequence never contains a `\n` byte). A tail with no line break yields nothing.
 */
async function* withoutFirstLine(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let cut = false;
  for await (const chunk of chunks) {
    if (cut) {
      yield chunk;
      continue;
    }
    const newline = chunk.indexOf(0x0a);
    if (newline === -1) continue;
    cut = true;
    if (newline + 1 < chunk.length) yield chunk.subarray(newline + 1);
  }
}

/**
 * The raw job log (`Accept: text/plain`). A `HEAD` tells its size first: when it is over the cap, only the tail
 * is read (`Range: bytes=-N`), because the failure is at the end of a log, not at its start.
 */
async function* openLog(job: FailedJob<BuildkiteLog>, ctx: FetchContext): AsyncGenerator<LogChunk> {
  const { org, pipeline, number, job: id } = job.log;
  const path = `${buildPath(org, pipeline, number)}/jobs/${encodeURIComponent(id)}/log`;
  const url = new URL(path, ctx.settings.apiOrigins.buildkite);
  const headers = { ...auth(ctx.token), accept: "text/plain" };
  const maxBytes = ctx.settings.maxLogBytes;
  const head = await ctx.http.head(url, { provider: NAME, headers });
  const size = Number(head.headers["content-length"]);
  if (Number.isSafeInteger(size) && size > maxBytes) {
    const tail = ctx.http.bytes(url, { provider: NAME, headers: { ...headers, range: `bytes=-${maxBytes}` }, maxBytes });
    yield* withoutFirstLine(tail);
    return;
  }
  yield* ctx.http.bytes(url, { provider: NAME, headers, maxBytes });
}

export const buildkite: CiProvider<BuildkiteRef, BuildkiteLog> = {
  id: "buildkite",
  name: NAME,
  credential: { kind: "org-token", provider: "buildkite" },
  refSchema: BuildkiteRef,
  logSchema: BuildkiteLog,
  resolve: resolveBuildkite,
  failedJobs,
  openLog,
  verifyToken: verifyBuildkiteToken,
};
