import { CompiledQuery, type Expression, type Insertable, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import type { Database } from "./schema.ts";
import type { ColumnType, Dialect, HasAdapter } from "./dialect.ts";
import { dialectOf } from "./dialect-of.ts";

export type { ColumnType, HasAdapter } from "./dialect.ts";
export { numberPlaceholders } from "./postgres-dialect.ts";

/** True on PostgreSQL. Kept for callers not yet moved to `dialectOf(db)`'s ports. */
export function isPostgres(db: HasAdapter): boolean {
  return dialectOf(db).name === "postgres";
}

/** Many rows as a relation to join an UPDATE against (`with v(cols) as (…) update … from v`): see each dialect's rowsRelation. */
export function rowsRelation(db: HasAdapter, types: readonly ColumnType[], rows: readonly unknown[][]): RawBuilder<unknown> {
  return dialectOf(db).rowsRelation(types, rows);
}

/** `column in (values)`: see each dialect's inList. */
export function inList(db: HasAdapter, column: string, values: readonly (string | number)[], type: ColumnType): Expression<SqlBool> {
  return dialectOf(db).inList(column, values, type);
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

function insertText(
  dialect: Dialect,
  table: string,
  types: Record<string, ColumnType | undefined>,
  derived: [string, DerivedColumn][],
  onConflict: boolean,
): string {
  let byShape = insertTexts.get(types);
  if (!byShape) insertTexts.set(types, (byShape = new Map<string, string>()));
  const key = `${dialect.name}|${table}|${onConflict}|${derived.map(([c, d]) => `${c}=${d.sql}`).join("|")}`;
  let text = byShape.get(key);
  if (text !== undefined) return text;
  const q = (name: string) => `"${name}"`;
  const columns = Object.keys(types);
  const source = dialect.bulkSource(columns, types);
  const targets = [...columns, ...derived.map(([c]) => c)].map(q).join(", ");
  const selected = [...columns.map((c) => `v.${q(c)}`), ...derived.map(([, d]) => d.sql)].join(", ");
  // SQLite reads "select … on conflict" as a join unless the select has a WHERE.
  text = `insert into ${q(table)} (${targets}) select ${selected} from (${source}) as v${onConflict ? " where true on conflict do nothing" : ""}`;
  text = dialect.placeholders(text);
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
  const dialect = dialectOf(db);
  const columns = Object.keys(types) as (keyof Insertable<Database[T]> & string)[];
  const derived = Object.entries(opts.derived ?? {}) as [string, DerivedColumn][];
  const text = insertText(dialect, table, types, derived, opts.onConflict === "nothing");
  const values = rows.map((r) => columns.map((c) => r[c] ?? null));
  // In the order of the placeholders: the derived columns' (the select list), then the rows'.
  const source = dialect.bulkParams(values, columns.length);
  await db.executeQuery(CompiledQuery.raw(text, [...derived.flatMap(([, d]) => d.params), ...source]));
}
