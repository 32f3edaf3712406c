import { sql } from "kysely";
import type { Kysely, Selectable } from "kysely";
import type { Store } from "./connect.ts";
import type { Database, MessagesTable } from "./schema.ts";

/** The columns of a message the sender needs, as stored. */
export type ClaimedMessage = Pick<
  Selectable<MessagesTable>,
  | "id"
  | "account_id"
  | "run_id"
  | "step_id"
  | "automation_id"
  | "contact_id"
  | "to_email"
  | "email"
  | "context"
  | "attempts"
  | "first_attempt_at"
>;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/**
 * Leases up to `limit` due queued messages (`next_attempt_at <= now`, lease free or
 * expired) whose contact is subscribed *as this statement reads it*: a message of a contact
 * whose unsubscribe committed before the claim is never claimed. PostgreSQL skips rows other
 * senders hold (`FOR UPDATE OF m SKIP LOCKED`); SQLite has one worker process.
 */
export async function claimDueMessages(
  store: Store,
  now: number,
  leaseUntil: number,
  token: string,
  limit: number,
): Promise<ClaimedMessage[]> {
  const lock = store.dialect === "postgres" ? sql`for update of m skip locked` : sql``;
  const result = await sql<ClaimedMessage>`
    update messages set lease_token = ${token}, lease_until = ${leaseUntil}
    where id in (
      select m.id from messages m
      join contacts c on c.account_id = m.account_id and c.id = m.contact_id
      where m.status = 'queued' and m.next_attempt_at <= ${now} and (m.lease_until is null or m.lease_until < ${now})
        and c.status = 'subscribed'
      order by m.next_attempt_at limit ${limit} ${lock}
    )
    returning id, account_id, run_id, step_id, automation_id, contact_id, to_email, email, context, attempts, first_attempt_at`.execute(
    store.db,
  );
  return result.rows.map((r) => ({
    ...r,
    id: Number(r.id),
    account_id: Number(r.account_id),
    run_id: Number(r.run_id),
    automation_id: Number(r.automation_id),
    attempts: num(r.attempts),
    first_attempt_at: num(r.first_attempt_at),
  }));
}

const SKIP_WINDOW = 2000;

/**
 * Marks due queued messages whose contact is unsubscribed or deleted as skipped, in the
 * caller's transaction; answers them so their report counters move in the same commit.
 */
export async function skipUnreachable(
  db: Kysely<Database>,
  now: number,
): Promise<{ account_id: number; automation_id: number; step_id: string }[]> {
  const result = await sql<{ account_id: number | string; automation_id: number | string; step_id: string }>`
    update messages set status = 'skipped', next_attempt_at = null, lease_token = null, lease_until = null,
      error = case when exists (select 1 from contacts c where c.account_id = messages.account_id and c.id = messages.contact_id)
        then 'contact unsubscribed' else 'contact deleted' end
    where id in (
      -- Only the head of the queue, oldest first (the due index): a round costs the same
      -- whatever the backlog; messages further back are looked at when they reach the head.
      select id from messages
      where status = 'queued' and next_attempt_at <= ${now} and (lease_until is null or lease_until < ${now})
      order by next_attempt_at limit ${SKIP_WINDOW})
      and not exists (
        select 1 from contacts c
        where c.account_id = messages.account_id and c.id = messages.contact_id and c.status = 'subscribed')
    returning account_id, automation_id, step_id`.execute(db);
  return result.rows.map((r) => ({ account_id: Number(r.account_id), automation_id: Number(r.automation_id), step_id: r.step_id }));
}

/** The earliest time any queued message may be attempted, so a sender sleeps exactly until then. */
export async function nextMessageDue(store: Store): Promise<number | null> {
  const r = await sql<{ w: number | string | null }>`select min(next_attempt_at) as w from messages where status = 'queued'`.execute(
    store.db,
  );
  const w = r.rows[0]?.w;
  return w === null || w === undefined ? null : Number(w);
}
