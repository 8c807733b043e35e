import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";

export interface RedisServer {
  /** The Unix socket path: REDIS_URL for the app, `{ path }` for a client. */
  url: string;
  /** Stops the server (data is not saved), as an outage would. */
  stop(): Promise<void>;
  /** Starts it again on the same socket, empty: nothing was persisted. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

/**
 * A real redis-server for one test file: its own directory and Unix socket, no TCP port, no persistence. The
 * `noeviction` policy is the one BullMQ requires.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "ci-mender-redis-"));
  const socket = path.join(dir, "redis.sock");
  let child: ReturnType<typeof spawn> | null = null;

  async function start(): Promise<void> {
    const proc = spawn(
      REDIS_SERVER,
      ["--port", "0", "--unixsocket", socket, "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
        "--maxmemory-policy", "noeviction", "--dir", dir, "--logfile", path.join(dir, "redis.log")],
      { stdio: "ignore" },
    );
    child = proc;
    const deadline = Date.now() + 10_000;
    while (!existsSync(socket)) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with code ${proc.exitCode}; see ${dir}/redis.log`);
      if (Date.now() > deadline) throw new Error("redis-server did not open its socket within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGKILL");
    await exited;
    rmSync(socket, { force: true });
  }

  await start();
  return {
    url: socket,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
