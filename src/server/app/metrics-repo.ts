import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema.ts";

export interface EngineState {
  dueRuns: number;
  /** The wake time of the most overdue live run, or null when none is due. */
  oldestDue: number | null;
  pendingTriggers: number;
  messagesByStatus: { status: string; n: number }[];
}

/** What `/metrics` reports of the shared engine state, read at scrape time. */
export async function engineState(db: Kysely<Database>, now: number): Promise<EngineState> {
  const due = await sql<{ n: number | string; oldest: number | string | null }>`
    select count(*) as n, min(wake_at) as oldest from runs where status = 'active' and wake_at <= ${now}`.execute(db);
  const pending = await sql<{ n: number | string }>`select count(*) as n from trigger_events where dispatched_at is null`.execute(db);
  const byStatus = await sql<{ status: string; n: number | string }>`select status, count(*) as n from messages group by status`.execute(
    db,
  );
  const oldest = due.rows[0]?.oldest;
  return {
    dueRuns: Number(due.rows[0]?.n ?? 0),
    oldestDue: oldest === null || oldest === undefined ? null : Number(oldest),
    pendingTriggers: Number(pending.rows[0]?.n ?? 0),
    messagesByStatus: byStatus.rows.map((r) => ({ status: r.status, n: Number(r.n) })),
  };
}
