import type { ProbotOctokit } from "probot";
import { z } from "zod";
import type { HeadFile, HeadReader } from "./types.ts";

type Octokit = InstanceType<typeof ProbotOctokit>;

const contentsSchema = z.object({
  type: z.literal("file"),
  sha: z.string().regex(/^[0-9a-f]{40,64}$/),
  size: z.number().int().nonnegative(),
  encoding: z.literal("base64"),
  content: z.string(),
});

/** Files larger than this are not fix targets (the contents API also stops inlining them at 1 MB). */
const MAX_FILE_BYTES = 1_000_000;

/**
 * Reads files at one commit through the contents API, once per path. A path that is a directory, a symlink, a
 * submodule, missing, binary or too large reads as null: not something a fix may change.
 */
export function headReader(octokit: Octokit, repo: { owner: string; name: string }, sha: string): HeadReader {
  const cache = new Map<string, Promise<HeadFile | null>>();
  return (path) => {
    let file = cache.get(path);
    if (!file) {
      file = read(octokit, repo, sha, path);
      cache.set(path, file);
    }
    return file;
  };
}

async function read(octokit: Octokit, repo: { owner: string; name: string }, sha: string, path: string): Promise<HeadFile | null> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.name, path, ref: sha }));
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
  const parsed = contentsSchema.safeParse(data);
  if (!parsed.success || parsed.data.size > MAX_FILE_BYTES) return null;
  const bytes = Buffer.from(parsed.data.content, "base64");
  if (bytes.includes(0)) return null;
  const content = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  // A lossy decode would commit replacement characters over the real bytes: such files are left alone.
  if (!Buffer.from(content, "utf8").equals(bytes)) return null;
  return { path, sha: parsed.data.sha, content };
}
