import type { Insertable, Kysely } from "kysely";
import type { Database, MessageEventsTable } from "../db/schema.ts";

type Db = Kysely<Database>;

/** What a public link needs to know of the message its token names. */
export function messageOf(db: Db, id: number) {
  return db
    .selectFrom("messages")
    .select(["id", "account_id", "automation_id", "step_id", "contact_id", "sent_at", "opened_at", "clicked_at"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function insertMessageEvent(db: Db, event: Insertable<MessageEventsTable>): Promise<void> {
  await db.insertInto("message_events").values(event).execute();
}

/** Stamps the message's first human open (or click); true when this call was the first. */
export async function stampFirst(db: Db, id: number, column: "opened_at" | "clicked_at", now: number): Promise<boolean> {
  const r = await db
    .updateTable("messages")
    .set({ [column]: now })
    .where("id", "=", id)
    .where(column, "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
