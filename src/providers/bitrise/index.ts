import { BuildMismatch, NotFound } from "../../errors.ts";
import { assertBuildOfEvent, isEventRepository, parseGitRemote } from "../build-origin.ts";
import type { BuildRef, CiProvider, FailedJob, FetchContext } from "../types.ts";
import { NAME, auth, bitriseApi } from "./api.ts";
import { openBitriseLog } from "./log.ts";
import { type App, AppAnswer, AppsPage, BitriseLog, BitriseRef, type Build, BuildAnswer, BuildsPage } from "./schema.ts";
import { BITRISE_SLUG, BITRISE_WEB_HOST, resolveBitrise } from "./url.ts";
import { verifyBitriseToken } from "./verify-token.ts";

/** Build statuses that mean it failed: 2 failed, 3 aborted (timeouts included). 4 is "aborted with success". */
const FAILED = new Map([
  [2, "failed"],
  [3, "aborted"],
]);
/** `GET /v0.1/apps` pages of 50: enough for a workspace of 500 apps. */
const MAX_APP_PAGES = 10;

function toFailedJob(app: App, build: Build): FailedJob<BitriseLog> {
  return {
    id: build.slug,
    name: build.triggered_workflow ?? (build.build_number == null ? `build ${build.slug}` : `build #${build.build_number}`),
    webUrl: `https://${BITRISE_WEB_HOST}/build/${encodeURIComponent(build.slug)}`,
    status: build.status_text ?? FAILED.get(build.status) ?? "failed",
    log: { app: app.slug, build: build.slug },
  };
}

async function appBySlug(slug: string, ctx: FetchContext): Promise<App> {
  const answer = await ctx.http.getJson(bitriseApi(ctx.settings, ["apps", slug]), AppAnswer, auth(ctx.token));
  return { ...answer.data, slug };
}

/** A `/build/<slug>` link does not name its app: look for the apps of the event's repository this token sees. */
async function appsOfEventRepository(ctx: FetchContext): Promise<App[]> {
  const apps: App[] = [];
  let next: string | null | undefined;
  for (let page = 0; page < MAX_APP_PAGES; page += 1) {
    const url = bitriseApi(ctx.settings, ["apps"], next ? { limit: "50", next } : { limit: "50" });
    const answer = await ctx.http.getJson(url, AppsPage, auth(ctx.token));
    apps.push(...answer.data.filter((app) => BITRISE_SLUG.test(app.slug) && isEventRepository(ctx, parseGitRemote(app.repo_url))));
    next = answer.paging?.next;
    if (!next) break;
  }
  return apps;
}

async function failedBuildOfApp(app: App, buildSlug: string, ctx: FetchContext): Promise<FailedJob<BitriseLog>[]> {
  const url = bitriseApi(ctx.settings, ["apps", app.slug, "builds", buildSlug]);
  const build = (await ctx.http.getJson(url, BuildAnswer, auth(ctx.token))).data;
  assertBuildOfEvent(ctx, {
    provider: NAME,
    what: `build ${buildSlug}`,
    repository: parseGitRemote(app.repo_url),
    commit: build.commit_hash,
  });
  return FAILED.has(build.status) ? [toFailedJob(app, { ...build, slug: buildSlug })] : [];
}

/** A 404 while looking for a build's app only means "not this app". */
async function unlessNotFound<T>(attempt: () => Promise<T>): Promise<T | null> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

/**
 * The app named by the link is the build's app. Without one, the app in the default status context is tried
 * first (users can edit that context), then the apps of the event's repository that the token can see.
 */
async function failedBuild(ids: Extract<BitriseRef, { kind: "build" }>, ctx: FetchContext): Promise<FailedJob<BitriseLog>[]> {
  const buildSlug = ids.build;
  if (ids.app) return failedBuildOfApp(await appBySlug(ids.app, ctx), buildSlug, ctx);
  const hint = ids.appHint;
  if (hint) {
    const found = await unlessNotFound(async () => failedBuildOfApp(await appBySlug(hint, ctx), buildSlug, ctx));
    if (found) return found;
  }
  for (const app of await appsOfEventRepository(ctx)) {
    if (app.slug === hint) continue;
    const found = await unlessNotFound(() => failedBuildOfApp(app, buildSlug, ctx));
    if (found) return found;
  }
  throw new NotFound(
    `Bitrise build ${buildSlug} was not found in any app of ${ctx.event.repo.fullName} that the token can see; ` +
      "check that the workspace token has access to that app",
  );
}

/**
 * A pipeline runs one build per workflow. The pipeline id is matched against the builds' `pipeline_workflow_id`
 * among the app's latest pipeline builds.
 */
async function failedBuildsOfPipeline(appSlug: string, pipeline: string, ctx: FetchContext): Promise<FailedJob<BitriseLog>[]> {
  const app = await appBySlug(appSlug, ctx);
  const repository = parseGitRemote(app.repo_url);
  if (!isEventRepository(ctx, repository)) {
    const built = repository ? `${repository.host}/${repository.path}` : "a repository it did not name";
    throw new BuildMismatch(
      `the Bitrise app ${app.title ?? app.slug} builds ${built}, not ${ctx.event.repo.fullName}; its logs were not read`,
    );
  }
  const url = bitriseApi(ctx.settings, ["apps", app.slug, "builds"], { is_pipeline_build: "true", limit: "50" });
  const builds = (await ctx.http.getJson(url, BuildsPage, auth(ctx.token))).data.filter(
    (build) => build.pipeline_workflow_id?.toLowerCase() === pipeline && BITRISE_SLUG.test(build.slug),
  );
  if (builds.length === 0) {
    throw new NotFound(`pipeline ${pipeline} is not among the latest builds of the Bitrise app ${app.title ?? app.slug}`);
  }
  for (const build of builds) {
    assertBuildOfEvent(ctx, { provider: NAME, what: `pipeline ${pipeline}`, repository, commit: build.commit_hash });
  }
  return builds.filter((build) => FAILED.has(build.status)).map((build) => toFailedJob(app, build));
}

export const bitrise: CiProvider<BitriseRef, BitriseLog> = {
  id: "bitrise",
  name: NAME,
  credential: { kind: "org-token", provider: "bitrise" },
  refSchema: BitriseRef,
  logSchema: BitriseLog,
  resolve: resolveBitrise,
  failedJobs({ ids }: BuildRef<BitriseRef>, ctx: FetchContext) {
    return ids.kind === "build" ? failedBuild(ids, ctx) : failedBuildsOfPipeline(ids.app, ids.pipeline, ctx);
  },
  openLog: openBitriseLog,
  verifyToken: verifyBitriseToken,
};
