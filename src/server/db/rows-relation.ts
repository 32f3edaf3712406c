import { type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";

export type ColumnType = "bigint" | "text" | "int";

/**
 * Many rows as a relation to join an UPDATE against (`with v(cols) as (…) update … from v`).
 * PostgreSQL takes one array per column through `unnest` (a handful of parameters however
 * many rows); SQLite takes a VALUES list. The one place bulk writes differ by dialect.
 */
export function rowsRelation<DB>(db: Kysely<DB>, types: readonly ColumnType[], rows: readonly unknown[][]): RawBuilder<unknown> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const arrays = types.map((t, i) => sql`${rows.map((r) => r[i])}::${sql.raw(t)}[]`);
    return sql`select * from unnest(${sql.join(arrays)})`;
  }
  return sql`values ${sql.join(rows.map((r) => sql`(${sql.join(r)})`))}`;
}
