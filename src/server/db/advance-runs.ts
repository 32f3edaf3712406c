import { type Kysely, sql } from "kysely";
import { isPostgres, rowsRelation } from "./rows-relation.ts";
import type { Database, RunStatus } from "./schema.ts";

export interface RunAdvance {
  id: number;
  step_id: string | null;
  phase: "ready" | "waiting";
  wake_at: number | null;
  status: RunStatus;
  exit_reason: string | null;
  finished_at: number | null;
  /** Let the lease go (the run waits or ended); a run still ready keeps it for its next step. */
  release: boolean;
}

/**
 * Writes many runs' next positions in one statement, each only while the run still holds
 * `token` (the fence). Only live runs hold a token (every way a run ends clears it), so the
 * token alone fences; leaving `status` out keeps PostgreSQL's planner on the primary key.
 * Answers the ids actually written.
 */
export async function advanceRuns(db: Kysely<Database>, token: string, rows: readonly RunAdvance[]): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const postgres = isPostgres(db);
  // PostgreSQL: the token is a join column, not a constant, and the ids also restrict the
  // scan of runs. A constant token is estimated to match one row (each token is unique),
  // and the planner then loops over the whole relation once per run: quadratic in the batch.
  const result = await sql<{ id: number | string }>`
    with v(id, token, step_id, phase, wake_at, status, exit_reason, finished_at, release_lease) as (${rowsRelation(
      db,
      ["bigint", "text", "text", "text", "bigint", "text", "text", "bigint", "int"],
      rows.map((r) => [r.id, token, r.step_id, r.phase, r.wake_at, r.status, r.exit_reason, r.finished_at, r.release ? 1 : 0]),
    )})
    update runs set
      step_id = v.step_id, phase = v.phase, wake_at = v.wake_at, status = v.status,
      exit_reason = v.exit_reason, finished_at = v.finished_at,
      lease_token = case when v.release_lease = 1 then null else runs.lease_token end,
      lease_until = case when v.release_lease = 1 then null else runs.lease_until end
    from v
    where runs.id = v.id and runs.lease_token = v.token${postgres ? sql` and runs.id = any(${rows.map((r) => r.id)}::bigint[])` : sql``}
    returning runs.id`.execute(db);
  return new Set(result.rows.map((r) => Number(r.id)));
}
