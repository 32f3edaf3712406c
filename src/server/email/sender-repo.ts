import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { FieldValue } from "../../core/contacts/field-value.ts";
import { listFields } from "../fields/fields-repo.ts";
import { fieldsByTag } from "../contacts/field-input.ts";
import { readContacts, withContactRaces } from "../contacts/contact-writer.ts";
import { suppress, suppressedAmong } from "../contacts/suppressions-repo.ts";
import { bumpCounters, type Bump } from "../db/counters.ts";
import type { ClaimedMessage } from "../db/claim-messages.ts";
import type { EmailParts } from "./render.ts";

type Db = Kysely<Database>;

/** What rendering a batch needs, loaded once per batch. */
export interface RenderInputs {
  /** Contact fields by merge tag, keyed by contact id (subscribed contacts only). */
  fields: Map<string, Record<string, FieldValue>>;
  /** Template parts keyed `account:id`. */
  templates: Map<string, EmailParts>;
  /** Ids of messages whose address is suppressed in its account. */
  suppressed: Set<number>;
}

export async function loadRenderInputs(
  db: Db,
  batch: readonly ClaimedMessage[],
  templateIds: Map<number, number | undefined>,
): Promise<RenderInputs> {
  const fields = new Map<string, Record<string, FieldValue>>();
  const templates = new Map<string, EmailParts>();
  const suppressed = new Set<number>();
  for (const accountId of new Set(batch.map((m) => m.account_id))) {
    const mine = batch.filter((m) => m.account_id === accountId);
    const defs = await listFields(db, accountId);
    const rows = await db
      .selectFrom("contacts")
      .select(["id", "fields"])
      .where("account_id", "=", accountId)
      .where("id", "in", [...new Set(mine.map((m) => m.contact_id))])
      .where("status", "=", "subscribed")
      .execute();
    for (const r of rows) fields.set(r.id, fieldsByTag(defs, JSON.parse(r.fields) as Record<string, FieldValue>));
    const ids = [...new Set(mine.map((m) => templateIds.get(m.id)).filter((id): id is number => id !== undefined))];
    if (ids.length > 0) {
      const ts = await db
        .selectFrom("email_templates")
        .select(["id", "subject", "body_html", "body_text"])
        .where("account_id", "=", accountId)
        .where("id", "in", ids)
        .execute();
      for (const t of ts) templates.set(`${accountId}:${t.id}`, { subject: t.subject, html: t.body_html, text: t.body_text });
    }
    const blocked = await suppressedAmong(
      db,
      accountId,
      mine.map((m) => m.to_email),
    );
    for (const m of mine) if (blocked.has(m.to_email)) suppressed.add(m.id);
  }
  return { fields, templates, suppressed };
}

/** Which of the batch's contacts are still subscribed, read just before sending. */
/** Extends the lease on the messages a batch holds; answers how many it still held. */
export async function renewLease(db: Db, token: string, leaseUntil: number): Promise<number> {
  const res = await db.updateTable("messages").set({ lease_until: leaseUntil }).where("lease_token", "=", token).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function stillSubscribed(db: Db, batch: readonly ClaimedMessage[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const accountId of new Set(batch.map((m) => m.account_id))) {
    const ids = [...new Set(batch.filter((m) => m.account_id === accountId).map((m) => m.contact_id))];
    const rows = await db
      .selectFrom("contacts")
      .select("id")
      .where("account_id", "=", accountId)
      .where("id", "in", ids)
      .where("status", "=", "subscribed")
      .execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

/** The result of one claimed message, to be committed. */
export type Outcome =
  | { kind: "sent"; messageId: string; subject: string; response: string; commit?: (db: Db) => Promise<void> }
  | { kind: "retry"; messageId: string; subject: string; at: number; error: string; response: string }
  | { kind: "failed"; messageId: string | null; subject: string | null; error: string; response: string | null; unknownUser?: boolean }
  | { kind: "skipped"; error: string }
  /** Not attempted (the lease ran short): handed back for any sender to take. */
  | { kind: "released" };

/**
 * Commits a batch's outcomes in one transaction. Every write is fenced by the lease token:
 * a sender that lost its lease changes nothing. Report counters and, for an unknown user,
 * the contact's unsubscribe (with its trigger event) and suppression commit together.
 * Answers the ids whose write was fenced off.
 */
export async function recordOutcomes(
  db: Db,
  token: string,
  now: number,
  batch: readonly { msg: ClaimedMessage; outcome: Outcome }[],
): Promise<number[]> {
  // The bounces' unsubscribes are written only over the contact versions they read: one
  // that lost a race computes the whole batch's commit again (nothing of it committed).
  return withContactRaces(() =>
    db.transaction().execute(async (trx) => {
      const fenced: number[] = [];
      const bumps: Bump[] = [];
      const bounced: { msg: ClaimedMessage; outcome: Outcome }[] = [];
      const commits: { id: number; commit: (db: Db) => Promise<void> }[] = [];
      for (const { msg, outcome } of batch) {
        const attempted = outcome.kind === "sent" || outcome.kind === "retry" || (outcome.kind === "failed" && outcome.messageId !== null);
        const base = {
          lease_token: null,
          lease_until: null,
          ...(attempted ? { attempts: (msg.attempts ?? 0) + 1, first_attempt_at: msg.first_attempt_at ?? now } : {}),
        };
        const set =
          outcome.kind === "sent"
            ? {
                ...base,
                status: "sent" as const,
                sent_at: now,
                next_attempt_at: null,
                message_id: outcome.messageId,
                subject: outcome.subject,
                smtp_response: outcome.response,
                error: null,
              }
            : outcome.kind === "retry"
              ? {
                  ...base,
                  next_attempt_at: outcome.at,
                  message_id: outcome.messageId,
                  subject: outcome.subject,
                  smtp_response: outcome.response,
                  error: outcome.error,
                }
              : outcome.kind === "failed"
                ? {
                    ...base,
                    status: "failed" as const,
                    next_attempt_at: null,
                    message_id: outcome.messageId,
                    subject: outcome.subject,
                    smtp_response: outcome.response,
                    error: outcome.error,
                  }
                : outcome.kind === "skipped"
                  ? { ...base, status: "skipped" as const, next_attempt_at: null, error: outcome.error }
                  : base;
        const res = await trx.updateTable("messages").set(set).where("id", "=", msg.id).where("lease_token", "=", token).executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) {
          fenced.push(msg.id);
          continue;
        }
        if (outcome.kind === "sent" && outcome.commit) commits.push({ id: msg.id, commit: outcome.commit });
        const metric =
          outcome.kind === "sent"
            ? "email:sent"
            : outcome.kind === "failed"
              ? "email:failed"
              : outcome.kind === "skipped"
                ? "email:skipped"
                : null;
        if (metric) bumps.push({ account_id: msg.account_id, automation_id: msg.automation_id, step_id: msg.step_id, metric, at: now });
        if (outcome.kind === "failed" && outcome.unknownUser) bounced.push({ msg, outcome });
      }
      // The deliveries' own writes (captured copies), in message order whatever order they finished in.
      for (const c of commits.sort((a, b) => a.id - b.id)) await c.commit(trx);
      await unsubscribeBounced(trx, bounced, now);
      await bumpCounters(trx, bumps);
      return fenced;
    }),
  );
}

/**
 * A 5.1.1-style reply means the mailbox does not exist: the contacts are unsubscribed by the
 * contact writer, like any other change (so `contact_unsubscribed` fires, and a field value
 * another transaction committed since the read is never written back over), and each
 * address is suppressed with the reply as its reason.
 */
async function unsubscribeBounced(trx: Db, bounced: readonly { msg: ClaimedMessage; outcome: Outcome }[], now: number): Promise<void> {
  for (const { msg, outcome } of bounced) {
    const reply = outcome.kind === "failed" ? (outcome.response ?? outcome.error) : "";
    await suppress(trx, msg.account_id, msg.to_email, `bounce: ${reply}`.slice(0, 500), now);
  }
  for (const accountId of new Set(bounced.map((b) => b.msg.account_id))) {
    const ids = bounced.filter((b) => b.msg.account_id === accountId).map((b) => b.msg.contact_id);
    const batch = await readContacts(trx, accountId, { ids });
    for (const id of ids) batch.change(id, { unsubscribed: true });
    await batch.persist(now);
  }
}
