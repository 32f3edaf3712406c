import { CompiledQuery, type Expression, type Insertable, type Kysely, PostgresAdapter, type RawBuilder, type SqlBool, sql } from "kysely";
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

/** PostgreSQL numbers its placeholders ($1, $2, …): `?` in a fixed text become those. */
export function numberPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** A column computed in SQL from the inserted row (`v.<column>`), with `?` placeholders. */
export interface DerivedColumn {
  sql: string;
  params: readonly unknown[];
}

// Statement texts by shape: built once, then the same string every time (no query builder
// per call: building and compiling was twice the cost of running a one-row insert). Keyed
// by the callers' column-type objects (module constants), then by the rest of the shape.
const insertTexts = new WeakMap<object, Map<string, string>>();

function insertText(postgres: boolean, table: string, types: Record<string, ColumnType | undefined>, derived: [string, DerivedColumn][], onConflict: boolean): string {
  let byShape = insertTexts.get(types);
  if (!byShape) insertTexts.set(types, (byShape = new Map<string, string>()));
  const key = `${postgres}|${table}|${onConflict}|${derived.map(([c, d]) => `${c}=${d.sql}`).join("|")}`;
  let text = byShape.get(key);
  if (text !== undefined) return text;
  const q = (name: string) => `"${name}"`;
  const columns = Object.keys(types);
  const source = postgres
    ? `select * from unnest(${columns.map((c) => `?::${types[c]}[]`).join(", ")}) as u(${columns.map(q).join(", ")})`
    : `select ${columns.map((c, i) => `json_extract(value, '$[${i}]') as ${q(c)}`).join(", ")} from json_each(?)`;
  const targets = [...columns, ...derived.map(([c]) => c)].map(q).join(", ");
  const selected = [...columns.map((c) => `v.${q(c)}`), ...derived.map(([, d]) => d.sql)].join(", ");
  // SQLite reads "select … on conflict" as a join unless the select has a WHERE.
  text = `insert into ${q(table)} (${targets}) select ${selected} from (${source}) as v${onConflict ? " where true on conflict do nothing" : ""}`;
  if (postgres) text = numberPlaceholders(text);
  byShape.set(key, text);
  return text;
}

/**
 * Inserts many rows in one statement of fixed text whatever the row count: `insert …
 * select` from `unnest` (PostgreSQL) or `json_each` over one JSON array of rows (SQLite:
 * parsed in C, not a bound parameter per value). `types` names every column written, with
 * its SQL type; `derived` computes further columns in SQL from those (`v.<column>`);
 * `onConflict: "nothing"` skips rows that already exist.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  types: { [K in keyof Insertable<Database[T]> & string]?: ColumnType },
  rows: readonly Insertable<Database[T]>[],
  opts: { onConflict?: "nothing"; derived?: { [K in keyof Insertable<Database[T]> & string]?: DerivedColumn } } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const postgres = isPostgres(db);
  const columns = Object.keys(types) as (keyof Insertable<Database[T]> & string)[];
  const derived = Object.entries(opts.derived ?? {}) as [string, DerivedColumn][];
  const text = insertText(postgres, table, types, derived, opts.onConflict === "nothing");
  const values = rows.map((r) => columns.map((c) => r[c] ?? null));
  // In the order of the placeholders: the derived columns' (the select list), then the rows'.
  const source = postgres ? columns.map((_, i) => values.map((r) => r[i])) : [JSON.stringify(values)];
  await db.executeQuery(CompiledQuery.raw(text, [...derived.flatMap(([, d]) => d.params), ...source]));
}
