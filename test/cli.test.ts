import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const BIN = path.resolve(import.meta.dirname, "../bin/ci-mender.js");
const TOKEN = "CCIPAT_cliTestTokenValue12345_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
let dataDir: string;

function cli(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: "utf8",
    cwd: dataDir,
    env: { PATH: process.env.PATH, CI_MENDER_DATA_DIR: dataDir },
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "ci-mender-cli-"));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe("ci-mender resolve", () => {
  it("prints the provider and ids of a CircleCI link as JSON", () => {
    const { code, stdout } = cli(["resolve", "https://circleci.com/gh/acme/widgets/1042?utm_source=github-build-link"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ provider: "circleci", ids: { kind: "job", slug: "github/acme/widgets", job: "1042" } });
  });

  it("reads a CircleCI Checks workflow id from --external-id with --app-slug", () => {
    const wf = "5d0c9a5e-0b1c-4a6f-9a0e-2f7d8c1b3e4a";
    const { code, stdout } = cli(["resolve", "https://example.invalid/", "--app-slug", "circleci-checks", "--external-id", JSON.stringify({ "workflow-id": wf })]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).ids).toEqual({ kind: "workflow", workflow: wf });
  });

  it("exits 1 for a look-alike host", () => {
    const { code, stdout, stderr } = cli(["resolve", "https://circleci.com.evil.example/gh/acme/widgets/1042"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/not recognised/);
  });
});

describe("ci-mender analyze", () => {
  it("prints the comment for a raw log from standard input", () => {
    const log = "npm test\n\u001b[31mError: boom\u001b[39m\nExited with code exit status 1\n";
    const { code, stdout } = cli(["analyze", "-"], log);
    expect(code).toBe(0);
    expect(stdout).toContain("<!-- ci-mender:v1");
    expect(stdout).toContain("boom");
    expect(stdout).not.toContain("\u001b[");
  });

  it("prints the structured failures with --json", () => {
    const { code, stdout } = cli(["analyze", "-", "--json"], "hello\n");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ lines: 1 });
  });

  it("reads a log file and names what it found", () => {
    const fixture = path.resolve(import.meta.dirname, "../fixtures/logs/github-actions/vitest.log");
    const { code, stdout } = cli(["analyze", fixture, "--json"]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { failures: Array<{ title: string }>; bytes: number };
    expect(result.failures.map((f) => f.title)).toContain("sub > subtracts");
    expect(result.bytes).toBe(readFileSync(fixture).length);
  });

  it("leaves out what the passing run given with --baseline printed too", () => {
    const fail = path.join(dataDir, "fail.log");
    const pass = path.join(dataDir, "pass.log");
    writeFileSync(fail, "Error: expected 2 to equal 3\n\nnotice: cache error ignored (took 3.2s)\nExited with code exit status 1\n");
    writeFileSync(pass, "notice: cache error ignored (took 0.8s)\nall good\n");
    const plain = JSON.parse(cli(["analyze", fail, "--json"]).stdout) as { failures: Array<{ message: string }> };
    expect(plain.failures.map((f) => f.message)).toEqual(["notice: cache error ignored (took 3.2s)"]);
    const { code, stdout } = cli(["analyze", fail, "--baseline", pass, "--json"]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { failures: Array<{ message: string }> }).failures.map((f) => f.message)).toEqual(["Error: expected 2 to equal 3"]);
  });

  it("says which baseline file it could not read", () => {
    const { code, stderr } = cli(["analyze", "-", "--baseline", path.join(dataDir, "nope.log")], "x\n");
    expect(code).not.toBe(0);
    expect(stderr).toContain(`cannot read ${path.join(dataDir, "nope.log")} (ENOENT)`);
  });

  it("says which file it could not read", () => {
    const { code, stderr } = cli(["analyze", path.join(dataDir, "missing.log")]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`cannot read ${path.join(dataDir, "missing.log")} (ENOENT)`);
  });
});

describe("ci-mender tokens", () => {
  it("stores a token from standard input, lists it without its value, and removes it", () => {
    const set = cli(["tokens", "set", "81234567", "circleci"], `${TOKEN}\n`);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("ends in aaaa");
    const list = cli(["tokens", "list"]);
    expect(list.stdout).toMatch(/^81234567\tcircleci\t…aaaa\t/m);
    for (const output of [set.stdout, set.stderr, list.stdout, list.stderr]) expect(output).not.toContain(TOKEN);
    for (const file of readdirSync(dataDir)) expect(readFileSync(path.join(dataDir, file)).includes(TOKEN)).toBe(false);
    expect(cli(["tokens", "remove", "81234567", "circleci"]).stdout).toContain("removed");
    expect(cli(["tokens", "list"]).stdout).toContain("no tokens stored");
  });

  it("never takes a token from the command line", () => {
    const { code, stderr } = cli(["tokens", "set", "81234567", "circleci", TOKEN], "");
    expect(code).toBe(2);
    expect(stderr).not.toContain(TOKEN);
  });

  it("refuses an account login instead of a numeric id, and unknown providers", () => {
    expect(cli(["tokens", "set", "acme", "circleci"], TOKEN).code).toBe(2);
    expect(cli(["tokens", "set", "1", "jenkins"], TOKEN).code).toBe(2);
  });

  it("says when there is no token to verify", () => {
    const { code, stderr } = cli(["tokens", "verify", "81234567", "circleci"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no circleci token is stored/);
  });
});
