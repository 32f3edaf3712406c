import { CompiledQuery, type Kysely } from "kysely";
import { dialectOf } from "./dialect-of.ts";
import type { Database } from "./schema.ts";

/**
 * A hot statement whose text never changes, written once in SQL with `?` placeholders and
 * handed to the driver as is: no query builder, no compiler, the same string every time (so
 * SQLite's statement cache and PostgreSQL's prepared statements find it at once). For the
 * few statements every API request runs (bulk inserts build theirs once per shape, in
 * rows-relation.ts); everything else uses the query builder.
 */
export function fixedQuery<Row>(text: string): (db: Kysely<Database>, params?: readonly unknown[]) => Promise<Row[]> {
  const texts = new Map<string, string>();
  return async (db, params = []) => {
    const dialect = dialectOf(db);
    let sql = texts.get(dialect.name);
    if (sql === undefined) texts.set(dialect.name, (sql = dialect.placeholders(text)));
    return (await db.executeQuery<Row>(CompiledQuery.raw(sql, [...params]))).rows;
  };
}
