import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { KeyvBridgeStore } from "keyv";

/**
 * A keyv store on Node's built-in SQLite, so the default install keeps state on disk with no native addon and
 * no server. One table, one row per key; expired rows are ignored on read and swept on write.
 */
export class SqliteKeyvStore implements KeyvBridgeStore {
  readonly #db: DatabaseSync;
  readonly #get: StatementSync;
  readonly #set: StatementSync;
  readonly #delete: StatementSync;
  readonly #sweep: StatementSync;

  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.#db = new DatabaseSync(file);
    chmodSync(file, 0o600);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;");
    this.#db.exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)");
    this.#get = this.#db.prepare("SELECT value FROM kv WHERE key = ? AND (expires IS NULL OR expires > ?)");
    this.#set = this.#db.prepare(
      "INSERT INTO kv (key, value, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires",
    );
    this.#delete = this.#db.prepare("DELETE FROM kv WHERE key = ?");
    this.#sweep = this.#db.prepare("DELETE FROM kv WHERE expires IS NOT NULL AND expires <= ?");
  }

  async get(key: string): Promise<unknown> {
    const row = this.#get.get(key, Date.now()) as { value: string } | undefined;
    return row?.value;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const now = Date.now();
    this.#sweep.run(now);
    this.#set.run(key, typeof value === "string" ? value : JSON.stringify(value), ttl ? now + ttl : null);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return Number(this.#delete.run(key).changes) > 0;
  }

  async clear(): Promise<void> {
    this.#db.exec("DELETE FROM kv");
  }

  async *iterator(namespace?: string): AsyncGenerator<[string, unknown]> {
    const prefix = namespace ? `${namespace}:` : "";
    const rows = this.#db
      .prepare("SELECT key, value FROM kv WHERE substr(key, 1, ?) = ? AND (expires IS NULL OR expires > ?)")
      .all(prefix.length, prefix, Date.now()) as Array<{ key: string; value: string }>;
    for (const row of rows) yield [row.key, row.value];
  }

  async disconnect(): Promise<void> {
    this.#db.close();
  }
}
