import { BuildMismatch } from "../errors.ts";
import type { FetchContext } from "./types.ts";

/** Where a git remote points: its host and `owner/repo` path. */
export interface GitRemote {
  host: string;
  path: string;
}

const REPO_PATH = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
/** `git@github.com:owner/repo.git`, the scp-like form Buildkite and Bitrise store. */
const SCP_REMOTE = /^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):([^/\s]\S*)$/;
const REMOTE_PROTOCOLS = new Set(["https:", "http:", "ssh:", "git:", "git+ssh:", "ssh+git:"]);
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * Reads a repository remote as CI providers store it: `git@host:owner/repo.git`, `ssh://git@host/owner/repo`,
 * `https://host/owner/repo(.git)`. Only host and path are kept: a remote may embed credentials, and nothing of
 * it but these two parts may reach a message.
 */
export function parseGitRemote(remote: string | null | undefined): GitRemote | null {
  if (typeof remote !== "string") return null;
  const text = remote.trim();
  if (text.length === 0 || text.length > 1_000) return null;
  let host: string;
  let path: string;
  const scp = text.includes("://") ? null : SCP_REMOTE.exec(text);
  if (scp) {
    host = scp[1] ?? "";
    path = scp[2] ?? "";
  } else {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    if (!REMOTE_PROTOCOLS.has(url.protocol)) return null;
    host = url.hostname;
    path = url.pathname;
  }
  path = path.replace(/^\/+/, "").replace(/\/+$/, "").replace(/\.git$/i, "");
  if (!REPO_PATH.test(path) || path.split("/").some((part) => /^\.+$/.test(part))) return null;
  return { host: host.toLowerCase(), path };
}

export interface BuildOrigin {
  /** Display name: "Buildkite". */
  provider: string;
  /** What was fetched, for the message: `build acme/widgets#42`. */
  what: string;
  /** The repository the CI says it built; null when it did not say in a form we can read. */
  repository: GitRemote | null;
  /** The commit the CI says it built. */
  commit: string | null | undefined;
}

/** Whether a remote names the event's repository on the configured GitHub host (names compare case-insensitively). */
export function isEventRepository(ctx: Pick<FetchContext, "event" | "settings">, repository: GitRemote | null): boolean {
  return (
    repository !== null &&
    repository.host === ctx.settings.githubWebUrl.hostname.toLowerCase() &&
    repository.path.toLowerCase() === ctx.event.repo.fullName.toLowerCase()
  );
}

/**
 * Stops a confused deputy: a webhook on one repository naming a build of another (or of another commit) must not
 * make ci-mender read that build's logs with the org's token and post them on this pull request.
 */
export function assertBuildOfEvent(ctx: Pick<FetchContext, "event" | "settings">, origin: BuildOrigin): void {
  const { event } = ctx;
  const repo = origin.repository;
  if (!isEventRepository(ctx, repo)) {
    const built = repo ? `${repo.host}/${repo.path}` : "a repository it did not name";
    throw new BuildMismatch(
      `the ${origin.provider} ${origin.what} builds ${built}, not ${event.repo.fullName}; its logs were not read`,
    );
  }
  const commit = origin.commit ?? "";
  if (!COMMIT.test(commit) || commit.toLowerCase() !== event.sha.toLowerCase()) {
    throw new BuildMismatch(
      `the ${origin.provider} ${origin.what} ran on another commit than ${event.sha.slice(0, 7)}; its logs were not read`,
    );
  }
}
