import { sql, type SqlBool } from "kysely";
import type { Dialect } from "./dialect.ts";

/**
 * SQLite: one writer at a time (so no row locks, row versions or advisory locks), statements
 * cached by their text (withStatementCache), JSON parsed in C.
 */
export const sqliteDialect: Dialect = {
  name: "sqlite",
  // An IN list (statements are cached by text; up to 32,766 parameters): with
  // `in (select value from json_each(?))` SQLite chose other indexes, and the engine
  // scenario lost a quarter of its speed.
  inList: (column, values) => sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`,
  // A VALUES list: an UPDATE … FROM a `json_each` relation was planned as a scan of the
  // whole table per row.
  rowsRelation: (_types, rows) => sql`values ${sql.join(rows.map((r) => sql`(${sql.join(r)})`))}`,
  joinedUpdateKeys: () => sql``,
  // One JSON array of rows, parsed in C: not a bound parameter per value.
  bulkSource: (columns) => `select ${columns.map((c, i) => `json_extract(value, '$[${i}]') as "${c}"`).join(", ")} from json_each(?)`,
  bulkParams: (rows) => [JSON.stringify(rows)],
  placeholders: (text) => text,
  rowLock: () => sql``,
  rowVersion: () => sql<null>`null`,
  lockForTransaction: async () => undefined,
  tryLockForTransaction: async () => true,
  async removeFieldValues(db, accountId, fieldId) {
    const jsonPath = `$."${String(fieldId)}"`;
    await sql`update contacts set fields = json_remove(fields, ${jsonPath})
      where account_id = ${accountId} and json_type(fields, ${jsonPath}) is not null`.execute(db);
  },
  fieldValue(fieldId, value) {
    const jsonPath = `$."${String(fieldId)}"`;
    const type = sql`json_type(contacts.fields, ${jsonPath})`;
    if (value === undefined) return sql<boolean>`coalesce(${type}, 'null') <> 'null'`;
    if (typeof value === "boolean") return sql<boolean>`${type} = ${value ? "true" : "false"}`;
    const types = typeof value === "number" ? sql`('integer', 'real')` : sql`('text')`;
    return sql<boolean>`(${type} in ${types} and json_extract(contacts.fields, ${jsonPath}) = ${value})`;
  },
  // SQLite's next rowid is one past the largest.
  syncSequence: async () => undefined,
  // SQLite plans from its indexes.
  analyze: async () => undefined,
  // A commit is most of what a small write costs, and there is one writer.
  groupCommit: { mode: "savepoints", lanes: 1 },
  defaults: { engineBatch: 200, idleMs: 250, maxEngineConcurrency: 1 },
  sharedByProcesses: false,
};
