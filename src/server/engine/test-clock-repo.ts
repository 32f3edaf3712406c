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
  const count = (q: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) =>
    q.executeTakeFirstOrThrow().then((r) => Number(r.n));
  const [events, runs, messages] = await Promise.all([
    count(
      db
        .selectFrom("trigger_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("account_id", "=", accountId)
        .where("dispatched_at", "is", null),
    ),
    count(
      db
        .selectFrom("runs")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("account_id", "=", accountId)
        .where("status", "=", "active")
        .where("wake_at", "<=", now),
    ),
    count(
      db
        .selectFrom("messages")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("account_id", "=", accountId)
        .where("status", "=", "queued")
        .where("next_attempt_at", "<=", now),
    ),
  ]);
  return { events, runs, messages };
}

/** The shared test clock's offset (0 before its first advance). */
export async function readClockOffset(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("test_clock").select("offset_ms").where("id", "=", 1).executeTakeFirst();
  return row?.offset_ms ?? 0;
}

/** Moves the shared offset forward by `ms` in one transaction; answers the new offset. */
export function addClockOffset(db: Kysely<Database>, ms: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("test_clock").select("offset_ms").where("id", "=", 1).executeTakeFirst();
    const next = (row?.offset_ms ?? 0) + ms;
    if (row) await trx.updateTable("test_clock").set({ offset_ms: next }).where("id", "=", 1).execute();
    else await trx.insertInto("test_clock").values({ id: 1, offset_ms: next }).execute();
    return next;
  });
}
