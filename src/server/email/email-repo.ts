import type { Insertable, Kysely } from "kysely";
import type { Database, OutboxMessagesTable } from "../db/schema.ts";

type Db = Kysely<Database>;
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The capture outbox, newest first, as DESIGN.md's `GET /api/outbox/messages` answers it. */
export async function listOutbox(db: Db, accountId: number, opts: { to?: string; beforeId?: number; limit: number }) {
  let q = db
    .selectFrom("outbox_messages")
    .select(["id", "message_id", "from_addr", "to_addr", "subject", "html", "text", "headers", "created_at"])
    .where("account_id", "=", accountId);
  if (opts.to !== undefined) q = q.where("to_addr", "=", opts.to);
  if (opts.beforeId !== undefined) q = q.where("id", "<", opts.beforeId);
  const rows = await q.orderBy("id", "desc").limit(opts.limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    message_id: r.message_id,
    from: r.from_addr,
    to: r.to_addr,
    subject: r.subject,
    html: r.html,
    text: r.text,
    headers: JSON.parse(r.headers) as Record<string, string>,
    created_at: iso(r.created_at),
  }));
}

/**
 * Message rows, newest first. `subject` is the one rendered at the (last) attempt, null
 * before any: re-rendering here could show a subject the contact never received.
 */
export async function listMessages(db: Db, accountId: number, opts: { contactId?: string; automationId?: number; limit: number }) {
  let q = db
    .selectFrom("messages")
    .select(["id", "run_id", "step_id", "contact_id", "to_email", "subject", "status", "sent_at", "opened_at", "clicked_at", "error"])
    .where("account_id", "=", accountId);
  if (opts.contactId !== undefined) q = q.where("contact_id", "=", opts.contactId);
  if (opts.automationId !== undefined) q = q.where("automation_id", "=", opts.automationId);
  const rows = await q.orderBy("id", "desc").limit(opts.limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    run_id: Number(r.run_id),
    step_id: r.step_id,
    contact_id: r.contact_id,
    to: r.to_email,
    subject: r.subject,
    status: r.status,
    sent_at: iso(r.sent_at),
    opened_at: iso(r.opened_at),
    clicked_at: iso(r.clicked_at),
    error: r.error,
  }));
}

/** Keeps a captured message in the outbox (inside the transaction that marks it sent). */
export async function insertOutboxMessage(db: Db, row: Insertable<OutboxMessagesTable>): Promise<void> {
  await db.insertInto("outbox_messages").values(row).execute();
}
