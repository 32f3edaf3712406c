import { PostgresAdapter } from "kysely";
import type { Dialect, DialectName, HasAdapter } from "./dialect.ts";
import { postgresDialect } from "./postgres-dialect.ts";
import { sqliteDialect } from "./sqlite-dialect.ts";

export const DIALECTS_BY_NAME: Readonly<Record<DialectName, Dialect>> = { sqlite: sqliteDialect, postgres: postgresDialect };

/** The dialect of a database URL (`sqlite:<file>` or `postgres://…`). */
export function dialectOfUrl(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? postgresDialect : sqliteDialect;
}

/** The dialect of a Kysely instance or transaction: the one way code learns which database it talks to. */
export function dialectOf(db: HasAdapter): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresDialect : sqliteDialect;
}
