import { type Expression, type Insertable, type Kysely, PostgresAdapter, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "./schema.ts";

export type ColumnType = "bigint" | "text" | "int";

/** Any Kysely instance or transaction, whatever its tables. */
export interface HasAdapter {
  getExecutor(): { readonly adapter: object };
}

/** The dialect decision every dialect port makes, in one place. */
export function isPostgres(db: HasAdapter): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** SQLite: the columns of each element of a JSON array of rows passed as one parameter. */
function jsonColumns(count: number): RawBuilder<unknown> {
  return sql.raw(Array.from({ length: count }, (_, i) => `json_extract(value, '$[${i}]')`).join(", "));
}

/**
 * Many rows as a relation to join an UPDATE against (`with v(cols) as (…) update … from v`).
 * PostgreSQL takes one array per column through `unnest`: a handful of parameters however
 * many rows, and a statement text that is prepared once. SQLite takes a VALUES list: an
 * UPDATE … FROM a `json_each` relation was planned as a scan of the whole table per row.
 * Bulk writes differ by dialect here and only here.
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
 * text is the same for any number of values, so it is prepared once per connection. SQLite
 * gets an IN list (its statements are cached by text; up to 32,766 parameters): with
 * `in (select value from json_each(?))` it chose other indexes, and the engine scenario
 * lost a quarter of its speed.
 */
export function inList(db: HasAdapter, column: string, values: readonly (string | number)[], type: ColumnType): Expression<SqlBool> {
  if (isPostgres(db)) return sql<SqlBool>`${sql.ref(column)} = any(${values}::${sql.raw(type)}[])`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`;
}

/**
 * Inserts many rows in one statement of fixed text whatever the row count: `insert …
 * select` from `unnest` (PostgreSQL) or `json_each` over one JSON array of rows (SQLite:
 * parsed in C, not a bound parameter per value). `types`
 * names every column written, with its SQL type; `onConflict: "nothing"` skips rows that
 * already exist.
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
  const values = rows.map((r) => columns.map((c) => r[c] ?? null));
  const relation = isPostgres(db)
    ? rowsRelation(db, columns.map((c) => types[c]!), values)
    : sql`select ${jsonColumns(columns.length)} from json_each(${JSON.stringify(values)})`;
  // SQLite reads "select … on conflict" as a join unless the select has a WHERE.
  const conflict = opts.onConflict === "nothing" ? sql` where true on conflict do nothing` : sql``;
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) ${relation}${conflict}`.execute(db);
}
