import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";
import type { Bump } from "../../core/engine/counter-names.ts";

export type { Bump } from "../../core/engine/counter-names.ts";

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Adds to report counters inside the caller's transaction. Increments are summed per key
 * first and written in key order: one statement per key, and two workers bumping the same
 * keys take their row locks in the same order (no deadlock).
 */
export async function bumpCounters(db: Kysely<Database>, bumps: readonly Bump[]): Promise<void> {
  if (bumps.length === 0) return;
  const sums = new Map<
    string,
    { account_id: number; automation_id: number; step_id: string; metric: Bump["metric"]; day: string; n: number }
  >();
  // A batch's bumps share a handful of instants: format each once.
  const days = new Map<number, string>();
  for (const b of bumps) {
    let day = days.get(b.at);
    if (day === undefined) days.set(b.at, (day = dayOf(b.at)));
    const key = `${b.account_id}\u0000${b.automation_id}\u0000${b.step_id}\u0000${b.metric}\u0000${day}`;
    const cur = sums.get(key);
    if (cur) cur.n += b.n ?? 1;
    else
      sums.set(key, { account_id: b.account_id, automation_id: b.automation_id, step_id: b.step_id, metric: b.metric, day, n: b.n ?? 1 });
  }
  const rows = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto("automation_counters")
      .values(rows.slice(i, i + 200))
      .onConflict((oc) =>
        oc.columns(["account_id", "automation_id", "step_id", "metric", "day"]).doUpdateSet({ n: sql`automation_counters.n + excluded.n` }),
      )
      .execute();
  }
}

/** An automation's counter rows, per step, metric and day, optionally between two days (inclusive). */
export function counterRows(db: Kysely<Database>, accountId: number, automationId: number, from?: string, to?: string) {
  let q = db
    .selectFrom("automation_counters")
    .select(["step_id", "metric", "day", "n"])
    .where("account_id", "=", accountId)
    .where("automation_id", "=", automationId);
  if (from) q = q.where("day", ">=", from);
  if (to) q = q.where("day", "<=", to);
  return q.execute();
}
