import type { ProbotOctokit } from "probot";
import { z } from "zod";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Where a repository keeps its settings (the organisation's `.github` repository is the fallback). */
export const REPO_CONFIG_FILE = "ci-mender.yml";
const PLUGIN_PREFIX = "[@probot/octokit-plugin-config]";
const DOCS = "https://github.com/ci-mender/ci-mender#per-repository-configuration-githubci-menderyml";

/**
 * `.github/ci-mender.yml`. Every key is optional; the JSON Schema in `docs/ci-mender.schema.json` is generated
 * from this object, so the descriptions here are what editors show.
 */
export const repoConfigSchema = z
  .object({
    fixes: z
      .enum(["off", "suggest", "commit-on-request", "pull-request"])
      .default("suggest")
      .describe(
        `How fixes reach a pull request. off: never; suggest: review comments with suggested changes (no push); commit-on-request: also a commit to the PR branch when a writer comments "/ci-mender fix"; pull-request: that fix as a PR from ci-mender/fix/<pr>-<sha7> into the PR branch instead. ${DOCS}`,
      ),
    llm: z
      .enum(["off", "on"])
      .default("off")
      .describe(`Whether the operator's language model may propose fixes for this repository (only when the operator configured one). ${DOCS}`),
    ignore_checks: z
      .array(z.string().min(1).max(200))
      .max(100)
      .default([])
      .describe(`Check or status names ci-mender does not report: exact names or globs (* matches any run of characters, ? one character). ${DOCS}`),
    comment_when_only_ignored: z
      .boolean()
      .default(false)
      .describe(`Whether to comment when every failing check is an ignored one (the comment then only names them). ${DOCS}`),
    max_failures: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(20)
      .describe(`The most failures shown per job; the rest are counted. ${DOCS}`),
  })
  .strict();

export type RepoConfig = z.infer<typeof repoConfigSchema>;

export const DEFAULT_REPO_CONFIG: RepoConfig = repoConfigSchema.parse({});

export interface LoadedRepoConfig {
  config: RepoConfig;
  /** Why the file was not used, in words for the comment; the defaults apply then. */
  problem?: string;
}

/** The draft-07 JSON Schema editors and SchemaStore read; the file in docs/ is compared with it by a test. */
export function repoConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(repoConfigSchema, { target: "draft-7", io: "input" }),
    title: "ci-mender repository configuration (.github/ci-mender.yml)",
  };
}

/**
 * Reads the file the way Probot's `context.config` does (the same octokit plugin: default branch only, the
 * owner's `.github` repository as the fallback, `_extends` chains) but lets a later file's list replace an earlier
 * one's instead of concatenating them. A missing file means the defaults; an invalid one means the defaults and a
 * problem to show.
 */
export async function loadRepoConfig(octokit: Octokit, repo: { owner: string; name: string }): Promise<LoadedRepoConfig> {
  let merged: unknown;
  try {
    const { config } = await octokit.config.get({
      owner: repo.owner,
      repo: repo.name,
      path: `.github/${REPO_CONFIG_FILE}`,
      defaults: (configs: object[]) => configs.reduce<Record<string, unknown>>((acc, next) => mergeReplacingArrays(acc, next), {}),
    });
    merged = config;
  } catch (error) {
    // The plugin's own errors are about the file (invalid YAML or JSON, a directory at the path, an `_extends`
    // loop); anything else is GitHub's or the network's, and the queue retries it.
    const message = error instanceof Error ? error.message : "";
    if (!message.startsWith(PLUGIN_PREFIX)) throw error;
    const why = message.slice(PLUGIN_PREFIX.length).replace(/\s+/g, " ").trim().slice(0, 300);
    return { config: DEFAULT_REPO_CONFIG, problem: `.github/${REPO_CONFIG_FILE} could not be read (${why}); the defaults apply` };
  }
  const parsed = repoConfigSchema.safeParse(merged ?? {});
  if (parsed.success) return { config: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`);
  return { config: DEFAULT_REPO_CONFIG, problem: `.github/${REPO_CONFIG_FILE} is invalid (${issues.join("; ")}); the defaults apply` };
}

/** Whether a failing check's name is one the repository asked ci-mender to leave alone. */
export function isIgnoredCheck(config: RepoConfig, name: string): boolean {
  return config.ignore_checks.some((pattern) => globToRegExp(pattern).test(name));
}

function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${body}$`, "s");
}

function mergeReplacingArrays(base: Record<string, unknown>, next: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(next)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeReplacingArrays(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

