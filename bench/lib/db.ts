import { stat } from "node:fs/promises";
import SQLite from "better-sqlite3";
import pg from "pg";
import type { FreshStore } from "./stores.ts";

/**
 * A direct connection from the benchmark process to a run's database: progress checks
 * (short read-only queries, which never block the server's writer on either store) and, for
 * the scale scenario, seeding rows with SQL while no server runs.
 */
export interface BenchDb {
  /** Rows of one statement; `?` placeholders on both stores. */
  all<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** One number from the first column of the first row. */
  num(text: string, params?: unknown[]): Promise<number>;
  /** Database size in bytes: SQLite main file + WAL after a checkpoint; PostgreSQL pg_database_size. */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

export function openBenchDb(store: FreshStore): BenchDb {
  if (store.kind === "sqlite") {
    const file = store.databaseUrl.slice("sqlite:".length);
    const db = new SQLite(file);
    db.pragma("busy_timeout = 5000");
    const all = async <T>(text: string, params: unknown[] = []) => {
      const st = db.prepare(text);
      return (st.reader ? st.all(...params) : (st.run(...params), [])) as T[];
    };
    return {
      all,
      num: async (text, params) => Number(Object.values((await all<Record<string, unknown>>(text, params))[0] ?? {})[0] ?? 0),
      async sizeBytes() {
        // TRUNCATE empties the WAL into the main file, so the two together are what the data costs.
        db.pragma("wal_checkpoint(TRUNCATE)");
        const size = async (f: string) => (await stat(f).catch(() => ({ size: 0 }))).size;
        return (await size(file)) + (await size(`${file}-wal`));
      },
      close: async () => void db.close(),
    };
  }
  // One connection: `begin` … `commit` sent as separate queries (seeding) share it.
  const pool = new pg.Pool({ connectionString: store.databaseUrl, max: 1 });
  pool.on("error", () => undefined);
  const all = async <T>(text: string, params: unknown[] = []) => {
    let n = 0;
    const res = await pool.query(
      text.replace(/\?/g, () => `$${++n}`),
      params,
    );
    return res.rows as T[];
  };
  return {
    all,
    num: async (text, params) => Number(Object.values((await all<Record<string, unknown>>(text, params))[0] ?? {})[0] ?? 0),
    sizeBytes: async () => Number((await pool.query<{ s: string }>("select pg_database_size(current_database()) as s")).rows[0]?.s ?? 0),
    close: () => pool.end(),
  };
}

/** Polls `probe` every `everyMs` until `done` holds; throws after `timeoutMs`. Answers the last value. */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  everyMs: number,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Run counts of one automation by status (from runs_automation_idx; on PostgreSQL the rows'
 * visibility is still checked in the table, so this costs ~0.1 s at 100,000 runs there).
 */
export async function runCounts(
  db: BenchDb,
  automationId: number,
): Promise<{ completed: number; active: number; failed: number; exited: number; total: number }> {
  const rows = await db.all<{ status: string; n: number | string }>(
    "select status, count(*) as n from runs where account_id = 1 and automation_id = ? group by status",
    [automationId],
  );
  const c = { completed: 0, active: 0, failed: 0, exited: 0, total: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    c.total += n;
    if (r.status === "completed" || r.status === "active" || r.status === "failed" || r.status === "exited") c[r.status] += n;
  }
  return c;
}

/** Live runs of one automation parked in a delay (untimed setup checks: this one reads the table). */
export async function waitingCount(db: BenchDb, automationId: number): Promise<number> {
  return db.num("select count(*) from runs where account_id = 1 and automation_id = ? and status = 'active' and phase = 'waiting'", [
    automationId,
  ]);
}

/**
 * Polls (every `everyMs`) until all `n` runs of the automation completed; throws on a failed
 * or exited run. Each poll first asks whether any run is still active (stops at the first
 * index entry), and counts only when none is: counting every poll took ~40% of a PostgreSQL
 * backend during a drain.
 */
export async function allCompleted(db: BenchDb, automationId: number, n: number, everyMs: number, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => {
      const active = await db.num(
        "select count(*) from (select 1 from runs where account_id = 1 and automation_id = ? and status = 'active' limit 1) as x",
        [automationId],
      );
      return active > 0 ? null : runCounts(db, automationId);
    },
    (c) => {
      if (c === null) return false;
      if (c.failed + c.exited > 0) throw new Error(`runs failed or exited: ${JSON.stringify(c)}`);
      return c.completed === n;
    },
    everyMs,
    timeoutMs,
    `${n} completed runs of automation ${automationId}`,
  );
}
