import { type Expression, type Insertable, type Kysely, PostgresAdapter, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "./schema.ts";

export type ColumnType = "bigint" | "text" | "int";

/** Any Kysely instance or transaction, whatever its tables. */
interface HasAdapter {
  getExecutor(): { readonly adapter: object };
}

function isPostgres(db: HasAdapter): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Many rows as a relation to join an UPDATE against (`with v(cols) as (…) update … from v`).
 * PostgreSQL takes one array per column through `unnest` (a handful of parameters however
 * many rows); SQLite takes a VALUES list. Bulk writes differ by dialect here and only here.
 */
export function rowsRelation(db: HasAdapter, types: readonly ColumnType[], rows: readonly unknown[][]): RawBuilder<unknown> {
  if (isPostgres(db)) {
    const arrays = types.map((t, i) => sql`${rows.map((r) => r[i])}::${sql.raw(t)}[]`);
    return sql`select * from unnest(${sql.join(arrays)})`;
  }
  return sql`values ${sql.join(rows.map((r) => sql`(${sql.join(r)})`))}`;
}

/**
 * `column in (values)`. On PostgreSQL one array parameter (`= any($1)`): the statement's
 * text is the same for any number of values, so it is prepared once per connection, and it
 * needs no chunking. SQLite gets an IN list (its statements are cached by text).
 */
export function inList(db: HasAdapter, column: string, values: readonly (string | number)[], type: ColumnType): Expression<SqlBool> {
  if (isPostgres(db)) return sql<SqlBool>`${sql.ref(column)} = any(${values}::${sql.raw(type)}[])`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`;
}

/** How many values one `inList` should carry: any number as a PostgreSQL array; SQLite's bound parameters are limited. */
export function inListLimit(db: HasAdapter): number {
  return isPostgres(db) ? Number.POSITIVE_INFINITY : 500;
}

// Rows per INSERT on SQLite: well under its bound-parameter limit for the widest table.
const SQLITE_ROWS = 500;

/**
 * Inserts many rows. PostgreSQL: `insert … select * from unnest(one array per column)`,
 * one statement of fixed text whatever the row count (built and parsed once, not a
 * parameter per value). SQLite: VALUES lists of 500 rows. `types` names every column
 * written, with its SQL type; `onConflict: "nothing"` skips rows that already exist.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  types: { [K in keyof Insertable<Database[T]> & string]?: ColumnType },
  rows: readonly Insertable<Database[T]>[],
  opts: { onConflict?: "nothing" } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(types) as (keyof Insertable<Database[T]> & string)[];
  const conflict = opts.onConflict === "nothing" ? sql` on conflict do nothing` : sql``;
  if (isPostgres(db)) {
    const arrays = columns.map((c) => sql`${rows.map((r) => r[c] ?? null)}::${sql.raw(types[c]!)}[]`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})${conflict}`.execute(db);
    return;
  }
  for (let i = 0; i < rows.length; i += SQLITE_ROWS) {
    const part = rows.slice(i, i + SQLITE_ROWS);
    const values = part.map((r) => sql`(${sql.join(columns.map((c) => r[c] ?? null))})`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}${conflict}`.execute(db);
  }
}
