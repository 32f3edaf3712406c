import { sql } from "kysely";
import type { Store } from "./connect.ts";

/**
 * Claims the oldest job row of a table that is new, or whose lease has expired, and
 * leases it until `leaseUntil`. PostgreSQL skips rows other workers hold
 * (`FOR UPDATE SKIP LOCKED`); SQLite has one engine process, and one statement is atomic.
 */
export async function claimJob(store: Store, table: "imports" | "exports", now: number, leaseUntil: number): Promise<{ id: number; account_id: number } | null> {
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

export interface ClaimedRun {
  id: number;
  account_id: number;
  automation_id: number;
  version: number;
  contact_id: string;
  step_id: string | null;
  phase: "ready" | "waiting";
  wake_at: number | null;
  context: string;
}

/**
 * Leases up to `limit` runs that are due (`wake_at <= now`) and not held by a live lease.
 * The token fences every later write: a worker whose lease expired changes nothing.
 */
export async function claimDueRuns(store: Store, now: number, leaseUntil: number, token: string, limit: number): Promise<ClaimedRun[]> {
  const lock = store.dialect === "postgres" ? sql`for update skip locked` : sql``;
  const result = await sql<ClaimedRun>`
    update runs set lease_token = ${token}, lease_until = ${leaseUntil}
    where id in (
      select id from runs
      where status = 'active' and wake_at <= ${now} and (lease_until is null or lease_until < ${now})
      order by wake_at limit ${limit} ${lock}
    )
    returning id, account_id, automation_id, version, contact_id, step_id, phase, wake_at, context`.execute(store.db);
  return result.rows;
}

/** The earliest wake time of any live run, so a worker can sleep exactly until then. */
export async function nextWake(store: Store): Promise<number | null> {
  const r = await sql<{ w: number | string | null }>`select min(wake_at) as w from runs where status = 'active'`.execute(store.db);
  const w = r.rows[0]?.w;
  return w === null || w === undefined ? null : Number(w);
}
