import { sql, type SqlBool } from "kysely";
import type { Dialect } from "./dialect.ts";

/** PostgreSQL numbers its placeholders ($1, $2, …): `?` in a fixed text become those. */
export function numberPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

const LOCKS = { update: sql` for update`, share: sql` for share`, "update skip locked": sql` for update skip locked` } as const;

/**
 * PostgreSQL: many writers (row locks, row versions, advisory locks), a round trip per
 * statement, prepared statements per connection (pg-prepared.ts) — so statement texts are
 * kept fixed whatever the number of values: arrays instead of lists.
 */
export const postgresDialect: Dialect = {
  name: "postgres",
  // One array parameter: the same text for any number of values, prepared once per connection.
  inList: (column, values, type) => sql<SqlBool>`${sql.ref(column)} = any(${values}::${sql.raw(type)}[])`,
  // One array per column through unnest: a handful of parameters however many rows.
  rowsRelation: (types, rows) =>
    sql`select * from unnest(${sql.join(types.map((t, i) => sql`${rows.map((r) => r[i])}::${sql.raw(t)}[]`))})`,
  joinedUpdateKeys: (column, values, type) => sql` and ${sql.ref(column)} = any(${values}::${sql.raw(type)}[])`,
  bulkSource: (columns, types) =>
    `select * from unnest(${columns.map((c) => `?::${types[c]}[]`).join(", ")}) as u(${columns.map((c) => `"${c}"`).join(", ")})`,
  bulkParams: (rows, columnCount) => Array.from({ length: columnCount }, (_, i) => rows.map((r) => r[i])),
  placeholders: numberPlaceholders,
  rowLock: (lock, of) =>
    of === undefined
      ? LOCKS[lock]
      : sql` for ${sql.raw(lock.replace(" skip locked", ""))} of ${sql.ref(of)}${sql.raw(lock.endsWith("skip locked") ? " skip locked" : "")}`,
  rowVersion: () => sql<string>`xmin::text`,
  async lockForTransaction(trx, key) {
    await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
  },
  async tryLockForTransaction(trx, key) {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${key}) as ok`.execute(trx);
    return got.rows[0]?.ok === true;
  },
  async removeFieldValues(db, accountId, fieldId) {
    const key = String(fieldId);
    await sql`update contacts set fields = (fields::jsonb - ${key})::text
      where account_id = ${accountId} and jsonb_exists(fields::jsonb, ${key})`.execute(db);
  },
  fieldValue(fieldId, value) {
    const stored = sql`(contacts.fields::jsonb -> ${String(fieldId)})`;
    if (value === undefined) return sql<boolean>`coalesce(jsonb_typeof(${stored}), 'null') <> 'null'`;
    return sql<boolean>`${stored} = ${JSON.stringify(value)}::jsonb`;
  },
  async syncSequence(trx, table, column) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}), (select max(${sql.ref(column)}) from ${sql.table(table)}))`.execute(
      trx,
    );
  },
  async analyze(db, table) {
    await sql`analyze ${sql.table(table)}`.execute(db);
  },
  // A small write costs its round trips; a savepoint would be two more per write.
  groupCommit: { mode: "rerun-alone", lanes: 4 },
  // Batches of 1,000 (the fenced advance and bulk statements amortise a round trip each).
  defaults: { engineBatch: 1000, idleMs: 1000, maxEngineConcurrency: Number.POSITIVE_INFINITY },
  sharedByProcesses: true,
};
