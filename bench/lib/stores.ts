import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export type StoreKind = "sqlite" | "postgres";
export const STORE_KINDS: readonly StoreKind[] = ["sqlite", "postgres"];

/** A database nobody has touched, for one run, plus how to throw it away. */
export interface FreshStore {
  kind: StoreKind;
  databaseUrl: string;
  /** Data dir for the server (secret file, SQLite file): never the repo's ./data. */
  dataDir: string;
  /** Version string of the database engine, for the report. */
  version(): Promise<string>;
  dispose(): Promise<void>;
}

/**
 * Where the benchmark creates its PostgreSQL databases. A maintenance connection to this
 * database runs CREATE/DROP DATABASE; each run gets its own database so no earlier run's
 * rows, indexes or bloat affect the figures.
 */
export const DEFAULT_PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/test";

export async function freshStore(kind: StoreKind, pgAdminUrl: string): Promise<FreshStore> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "mailwright-bench-"));
  if (kind === "sqlite") {
    return {
      kind,
      databaseUrl: `sqlite:${path.join(dataDir, "bench.db")}`,
      dataDir,
      async version() {
        // better-sqlite3 bundles its own SQLite; the system library is irrelevant.
        const { default: Database } = await import("better-sqlite3");
        const db = new Database(":memory:");
        try {
          return `SQLite ${(db.prepare("select sqlite_version() as v").get() as { v: string }).v}`;
        } finally {
          db.close();
        }
      },
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `mailwright_bench_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(pgAdminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    databaseUrl: url.toString(),
    dataDir,
    version: () => withAdmin(pgAdminUrl, async (c) => (await c.query<{ v: string }>("select version() as v")).rows[0]?.v ?? "unknown"),
    async dispose() {
      // FORCE: a server that died mid-run may still hold connections.
      await withAdmin(pgAdminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(url);
  // A dropped connection also rejects the pending query; without a listener it would crash the runner.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
