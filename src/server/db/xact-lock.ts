import type { Kysely } from "kysely";
import { dialectOf } from "./dialect-of.ts";
import type { Database } from "./schema.ts";

/** Keys of the transaction-scoped locks, one per decision that must not race. */
export const LOCKS = { setup: 7_001 } as const;

/**
 * Serializes transactions that decide from an absence ("no user exists yet"): PostgreSQL
 * holds an advisory lock until commit; SQLite needs none, it runs one write transaction at a time.
 */
export async function lockForTransaction(trx: Kysely<Database>, key: number): Promise<void> {
  await dialectOf(trx).lockForTransaction(trx, key);
}
