import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

type Db = Kysely<Database>;

/**
 * The reads of a contact's timeline, each newest first, older than `before`, at most
 * `limit` rows: the service merges them into one page.
 */
export interface Page {
  before: number;
  limit: number;
}

export function contactRuns(db: Db, accountId: number, contactId: string, p: Page) {
  return db
    .selectFrom("runs as r")
    .innerJoin("automations as a", (j) => j.onRef("a.id", "=", "r.automation_id").onRef("a.account_id", "=", "r.account_id"))
    .select(["r.id", "r.automation_id", "r.version", "a.name", "r.entered_at", "r.finished_at", "r.status", "r.exit_reason"])
    .where("r.account_id", "=", accountId)
    .where("r.contact_id", "=", contactId)
    .where("r.entered_at", "<", p.before)
    .orderBy("r.entered_at", "desc")
    .limit(p.limit)
    .execute();
}

export function journalOfRuns(db: Db, accountId: number, runIds: readonly number[], p: Page) {
  return db
    .selectFrom("run_journal")
    .select(["run_id", "automation_id", "version", "step_id", "type", "outcome", "detail", "at", "completed_at"])
    .where("account_id", "=", accountId)
    .where("run_id", "in", [...runIds])
    .where("at", "<", p.before)
    .orderBy("at", "desc")
    .limit(p.limit)
    .execute();
}

export function contactMessages(db: Db, accountId: number, contactId: string, p: Page) {
  return db
    .selectFrom("messages as m")
    .innerJoin("runs as r", (j) => j.onRef("r.account_id", "=", "m.account_id").onRef("r.id", "=", "m.run_id"))
    .select([
      "m.id",
      "m.run_id",
      "m.step_id",
      "m.automation_id",
      "r.version",
      "m.subject",
      "m.status",
      "m.created_at",
      "m.sent_at",
      "m.error",
    ])
    .where("m.account_id", "=", accountId)
    .where("m.contact_id", "=", contactId)
    .where("m.created_at", "<", p.before)
    .orderBy("m.created_at", "desc")
    .limit(p.limit)
    .execute();
}

export function messageHits(db: Db, accountId: number, messageIds: readonly number[], p: Page) {
  return db
    .selectFrom("message_events")
    .select(["message_row_id", "kind", "url", "bot", "created_at"])
    .where("account_id", "=", accountId)
    .where("message_row_id", "in", [...messageIds])
    .where("created_at", "<", p.before)
    .orderBy("created_at", "desc")
    .limit(p.limit)
    .execute();
}

export function contactChanges(db: Db, accountId: number, contactId: string, p: Page) {
  return db
    .selectFrom("trigger_events")
    .select(["type", "payload", "created_at"])
    .where("account_id", "=", accountId)
    .where("contact_id", "=", contactId)
    .where("created_at", "<", p.before)
    .orderBy("id", "desc")
    .limit(p.limit)
    .execute();
}

/** Entries the dispatcher refused this contact (re-entry window, monthly quota), with the automation. */
export function contactRefusals(db: Db, accountId: number, contactId: string, p: Page) {
  return db
    .selectFrom("entry_refusals as e")
    .innerJoin("automations as a", (j) => j.onRef("a.id", "=", "e.automation_id").onRef("a.account_id", "=", "e.account_id"))
    .select(["e.automation_id", "a.name", "a.version", "e.reason", "e.created_at"])
    .where("e.account_id", "=", accountId)
    .where("e.contact_id", "=", contactId)
    .where("e.created_at", "<", p.before)
    .orderBy("e.created_at", "desc")
    .limit(p.limit)
    .execute();
}
