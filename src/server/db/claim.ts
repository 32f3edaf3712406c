import { sql } from "kysely";
import type { Store } from "./connect.ts";

/**
 * Claims the oldest job row of a table that is new, or whose lease has expired, and
 * leases it until `leaseUntil`. PostgreSQL skips rows other workers hold
 * (`FOR UPDATE SKIP LOCKED`); SQLite has one engine process, and one statement is atomic.
 */
export async function claimJob(
  store: Store,
  table: "imports" | "exports",
  now: number,
  leaseUntil: number,
): Promise<{ id: number; account_id: number } | null> {
  const lock = store.dialect === "postgres" ? sql`for update skip locked` : sql``;
  const result = await sql<{ id: number; account_id: number }>`
    update ${sql.table(table)} set status = 'started', lease_until = ${leaseUntil}, updated_at = ${now}
    where id = (
      select id from ${sql.table(table)}
      where status = 'created' or (status = 'started' and lease_until < ${now})
      order by id limit 1 ${lock}
    )
    returning id, account_id`.execute(store.db);
  return result.rows[0] ?? null;
}
