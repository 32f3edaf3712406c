import { type Kysely, sql } from "kysely";
import type { DialectName } from "./connect.ts";
import type { Database } from "./schema.ts";

/** Keys of the transaction-scoped locks, one per decision that must not race. */
export const LOCKS = { setup: 7_001 } as const;

/**
 * Serializes transactions that decide from an absence ("no user exists yet"): PostgreSQL
 * holds an advisory lock until commit; SQLite needs none, it runs one write transaction at a time.
 */
export async function lockForTransaction(trx: Kysely<Database>, dialect: DialectName, key: number): Promise<void> {
  if (dialect === "postgres") await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
}
