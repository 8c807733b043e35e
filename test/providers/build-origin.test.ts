import { describe, expect, it } from "vitest";
import { BuildMismatch } from "../../src/errors.ts";
import { assertBuildOfEvent, parseGitRemote } from "../../src/providers/build-origin.ts";
import { failureEventFrom, providerSettings } from "./support.ts";

describe("git remotes", () => {
  it.each([
    ["git@github.com:acme/widgets.git", "github.com", "acme/widgets"],
    ["git@github.com:acme/widgets", "github.com", "acme/widgets"],
    ["ssh://git@github.com/acme/widgets.git", "github.com", "acme/widgets"],
    ["ssh://git@github.com:22/acme/widgets.git", "github.com", "acme/widgets"],
    ["https://github.com/Acme/Widgets.git", "github.com", "Acme/Widgets"],
    ["https://github.com/acme/widgets/", "github.com", "acme/widgets"],
    ["git://github.com/acme/widgets.git", "github.com", "acme/widgets"],
    ["https://x-access-token:ghs_abc@GitHub.com/acme/widgets.git", "github.com", "acme/widgets"],
    ["git@github.acme.internal:platform/widgets.git", "github.acme.internal", "platform/widgets"],
  ])("reads %s", (remote, host, repoPath) => {
    expect(parseGitRemote(remote)).toEqual({ host, path: repoPath });
  });

  it.each([
    ["nothing", ""],
    ["a group path deeper than owner/repo", "https://gitlab.com/acme/mobile/widgets.git"],
    ["a dot-segment repository", "https://github.com/acme/.."],
    ["a local path", "/srv/git/widgets.git"],
    ["a file URL", "file:///srv/git/acme/widgets.git"],
    ["text", "not a remote"],
  ])("refuses %s", (_why, remote) => {
    expect(parseGitRemote(remote)).toBeNull();
  });
});

describe("build ownership", () => {
  const event = failureEventFrom("status", "providers/buildkite/webhook-status-build.json");
  const ctx = { event, settings: providerSettings() };
  const origin = { provider: "Buildkite", what: "build acme/widgets-ci#1482", commit: event.sha.toUpperCase() };

  it("accepts the event's repository (any letter case) and commit", () => {
    expect(() => assertBuildOfEvent(ctx, { ...origin, repository: { host: "github.com", path: "ACME/widgets" } })).not.toThrow();
  });

  it.each([
    ["another repository", { host: "github.com", path: "acme/gadgets" }, event.sha],
    ["the same name on another host", { host: "gitlab.com", path: "acme/widgets" }, event.sha],
    ["an unreadable repository", null, event.sha],
    ["another commit", { host: "github.com", path: "acme/widgets" }, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"],
    ["a branch name instead of a commit", { host: "github.com", path: "acme/widgets" }, "HEAD"],
    ["a short commit", { host: "github.com", path: "acme/widgets" }, event.sha.slice(0, 7)],
  ])("refuses %s", (_why, repository, commit) => {
    expect(() => assertBuildOfEvent(ctx, { ...origin, repository, commit })).toThrow(BuildMismatch);
  });

  it("compares against the GitHub Enterprise Server host when one is configured", () => {
    const ghes = { event, settings: providerSettings({ githubWebUrl: new URL("https://github.acme.internal") }) };
    const github = { ...origin, repository: { host: "github.com", path: "acme/widgets" } };
    expect(() => assertBuildOfEvent(ghes, github)).toThrow(BuildMismatch);
    expect(() => assertBuildOfEvent(ghes, { ...github, repository: { host: "github.acme.internal", path: "acme/widgets" } })).not.toThrow();
  });
});
