import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

/** Work of one account that is due at `now` and not yet done. */
export interface DueWork {
  /** Trigger events the dispatcher has not turned into runs yet. */
  events: number;
  /** Active runs whose next step is due. */
  runs: number;
  /** Queued emails whose attempt is due. */
  messages: number;
}

export async function dueWork(db: Kysely<Database>, accountId: number, now: number): Promise<DueWork> {
  const count = (q: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) => q.executeTakeFirstOrThrow().then((r) => Number(r.n));
  const [events, runs, messages] = await Promise.all([
    count(db.selectFrom("trigger_events").select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", accountId).where("dispatched_at", "is", null)),
    count(db.selectFrom("runs").select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", accountId).where("status", "=", "active").where("wake_at", "<=", now)),
    count(db.selectFrom("messages").select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", accountId).where("status", "=", "queued").where("next_attempt_at", "<=", now)),
  ]);
  return { events, runs, messages };
}
