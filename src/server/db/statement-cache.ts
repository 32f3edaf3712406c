import type { Database as SqliteDatabase, Statement } from "better-sqlite3";

/**
 * better-sqlite3 as Kysely's SQLite driver sees it, with prepared statements kept by their
 * SQL text. Kysely prepares every query it runs; on the engine's hot path (a few dozen
 * statement shapes run thousands of times a second) compiling the SQL again each time was
 * a fifth of the executor's time. The cache is bounded (least recently used goes first)
 * because statements with IN lists of varying length each have their own text.
 */
export function withStatementCache(database: SqliteDatabase, capacity = 500): { prepare(sql: string): Statement; close(): void } {
  const cache = new Map<string, Statement>();
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      // A statement still iterating (a streamed select) cannot run again: prepare another.
      if (hit !== undefined && !hit.busy) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = database.prepare(sql);
      if (hit === undefined) {
        cache.set(sql, stmt);
        if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
    close() {
      cache.clear();
      database.close();
    },
  };
}
