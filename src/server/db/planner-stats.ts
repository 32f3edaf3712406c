import type { Store } from "./connect.ts";
import { dialectOf } from "./dialect-of.ts";

/**
 * PostgreSQL plans from table statistics that autovacuum refreshes only when it next looks
 * (up to a minute later). A table that grew from nothing to 100,000 rows in seconds (an
 * import, then its runs) is still planned as empty: the engine's lookups by id turn into
 * scans and its batches slow down as the table grows. So whoever writes many rows asks
 * for an ANALYZE (it samples a bounded number of rows, a fraction of a second) once enough
 * have been written. SQLite plans from its indexes: its dialect's analyze does nothing.
 */
export function plannerStats(store: Store, firstAfterRows = 20_000) {
  // Rows written since the table's last ANALYZE, and how many it takes for the next one: the
  // threshold doubles each time, so a table that keeps growing is analysed a few times, not
  // every 20,000 rows (autovacuum takes over once it is large).
  const pending = new Map<string, { rows: number; threshold: number }>();
  return {
    async wrote(table: "contacts" | "runs" | "run_journal" | "trigger_events", rows: number): Promise<void> {
      if (rows === 0) return;
      const p = pending.get(table) ?? { rows: 0, threshold: firstAfterRows };
      p.rows += rows;
      pending.set(table, p);
      if (p.rows < p.threshold) return;
      p.rows = 0;
      p.threshold *= 2;
      await dialectOf(store.db).analyze(store.db, table);
    },
  };
}

export type PlannerStats = ReturnType<typeof plannerStats>;
