import { type Kysely, type Selectable, sql } from "kysely";
import type { ContactsTable, Database } from "../db/schema.ts";
import type { AppliedChange, ContactState } from "../../core/contacts/contact-change.ts";
import type { FieldValue } from "../../core/contacts/field-value.ts";
import { normalizeEmail } from "../../core/contacts/email.ts";
import { recordTriggerEvents } from "../triggers/trigger-events.ts";
import { inList, insertRows, rowsRelation } from "../db/rows-relation.ts";
import { dialectOf } from "../db/dialect-of.ts";
import { fixedQuery } from "../db/fixed-query.ts";
import { lowerColumnContains } from "../db/like.ts";

export type ContactRow = Selectable<ContactsTable>;

const MEMBERSHIP_COLUMNS = { account_id: "bigint", contact_id: "text", list_id: "bigint", created_at: "bigint" } as const;
const CONTACT_COLUMNS = {
  account_id: "bigint",
  id: "text",
  email: "text",
  status: "text",
  fields: "text",
  created_at: "bigint",
  updated_at: "bigint",
} as const;

type Db = Kysely<Database>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an identifier names a contact by its uuid (else by its email). */
export function isContactId(identifier: string): boolean {
  return UUID_RE.test(identifier);
}

/**
 * A contact by uuid or (already URL-decoded) email, within one account, to show or to
 * refer to. A change is never computed from this read: the contact writer reads the
 * states it changes itself, with their row versions (contact-writer.ts).
 */
export async function findContact(db: Db, accountId: number, identifier: string): Promise<ContactRow | undefined> {
  const [row] = isContactId(identifier)
    ? await contactById(db, [accountId, identifier.toLowerCase()])
    : await contactByEmail(db, [accountId, normalizeEmail(identifier)]);
  return row;
}

// Every contact request runs one of them.
const contactById = fixedQuery<ContactRow>("select * from contacts where account_id = ? and id = ?");
const contactByEmail = fixedQuery<ContactRow>("select * from contacts where account_id = ? and email = ?");

export async function listIdsOf(db: Db, accountId: number, contactIds: readonly string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return out;
  const rows = await db
    .selectFrom("contact_lists")
    .select(["contact_id", "list_id"])
    .where("account_id", "=", accountId)
    .where(inList(db, "contact_id", contactIds, "text"))
    // Ordered along the primary key: ordering by list_id alone made SQLite walk the whole membership index.
    .orderBy("contact_id")
    .orderBy("list_id")
    .execute();
  for (const r of rows) out.get(r.contact_id)?.push(r.list_id);
  return out;
}

export function parseStoredFields(json: string): Record<string, FieldValue> {
  return JSON.parse(json) as Record<string, FieldValue>;
}

export function toState(row: ContactRow, listIds: number[]): ContactState {
  return { id: row.id, email: row.email, status: row.status, fields: parseStoredFields(row.fields), listIds };
}

/** A contact's state as read, with the row version a write computed from it must find. */
export interface ReadState {
  state: ContactState;
  /** The row's version (`Dialect.rowVersion`: PostgreSQL's `xmin`; SQLite has one writer and none), see ContactWrite.readVersion. */
  version: string | undefined;
  createdAt: number;
  updatedAt: number;
}

/** Current states of the account's contacts with these ids or (normalised) emails, in one read. */
export async function readStates(
  db: Db,
  accountId: number,
  keys: { ids: readonly string[]; emails: readonly string[] },
): Promise<ReadState[]> {
  const named = (["id", "email"] as const).flatMap((column) => {
    const values = column === "id" ? keys.ids : keys.emails;
    return values.length > 0 ? [inList(db, column, values, "text")] : [];
  });
  if (named.length === 0) return [];
  const rows = await db
    .selectFrom("contacts")
    .selectAll()
    .select(dialectOf(db).rowVersion().as("row_version"))
    .where("account_id", "=", accountId)
    .where((eb) => eb.or(named))
    .execute();
  const lists = await listIdsOf(
    db,
    accountId,
    rows.map((r) => r.id),
  );
  return rows.map(({ row_version, ...r }) => ({
    state: toState(r, lists.get(r.id) ?? []),
    version: row_version ?? undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export interface ContactSearch {
  /** Case-insensitive substring of the email. */
  search?: string;
  status?: "subscribed" | "unsubscribed";
  listId?: number;
  /** A field that has a value, or has exactly `value` (already parsed to the field's type). */
  field?: { id: number; value?: string | number | boolean };
  /** Only contacts older than this id (the previous page's last). */
  before?: string;
  limit: number;
}

/**
 * One page of an account's contacts, newest first. Ids are uuid v7, time-ordered, so the
 * primary key orders them by creation and the last id of a page is the next page's cursor.
 */
export function searchContacts(db: Db, accountId: number, q: ContactSearch): Promise<ContactRow[]> {
  let query = db.selectFrom("contacts").selectAll().where("account_id", "=", accountId);
  // Addresses are stored lower-cased, so a lower-cased pattern matches case-insensitively on both databases.
  if (q.search) query = query.where(lowerColumnContains("email", q.search));
  if (q.status) query = query.where("status", "=", q.status);
  if (q.listId !== undefined) {
    const listId = q.listId;
    query = query.where("id", "in", (eb) =>
      eb.selectFrom("contact_lists").select("contact_id").where("account_id", "=", accountId).where("list_id", "=", listId),
    );
  }
  if (q.field) query = query.where(dialectOf(db).fieldValue(q.field.id, q.field.value));
  if (q.before !== undefined) query = query.where("id", "<", q.before);
  return query.orderBy("id", "desc").limit(q.limit).execute();
}

export async function countContacts(db: Db, accountId: number): Promise<number> {
  const row = await db
    .selectFrom("contacts")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface ContactWrite {
  applied: AppliedChange;
  isNew: boolean;
  /** The row's version when the change was computed (PostgreSQL's xmin; none on SQLite): the write lands only on it. */
  readVersion?: string;
}

/** How many times in a row a write computed again after ContactChangedMeanwhile, before it gives up. */
export const MAX_CONTACT_RACES = 10;

/**
 * A contact changed by another transaction between the read a change was computed from and
 * its write (PostgreSQL). Nothing of the transaction may commit: the caller computes again
 * from a fresh read.
 */
export class ContactChangedMeanwhile extends Error {
  constructor(readonly contactIds: string[]) {
    super(`contacts changed meanwhile: ${contactIds.join(", ")}`);
  }
}

/**
 * Persists applied changes: new rows, changed rows, memberships and the trigger events,
 * batched. Call inside the transaction that decided the changes.
 */
export async function persistContactWrites(db: Db, accountId: number, writes: readonly ContactWrite[], now: number): Promise<void> {
  const inserts = writes
    .filter((w) => w.isNew)
    .map(({ applied: { after } }) => ({
      account_id: accountId,
      id: after.id,
      email: after.email,
      status: after.status,
      fields: JSON.stringify(after.fields),
      created_at: now,
      updated_at: now,
    }));
  await insertRows(db, "contacts", CONTACT_COLUMNS, inserts);

  const touched = writes.filter((w) => !w.isNew && (w.applied.rowChanged || w.applied.added.length > 0 || w.applied.removed.length > 0));
  // 1,000 rows of 5 values per statement: under SQLite's 32,766 bound parameters.
  for (let i = 0; i < touched.length; i += 1000) await updateContactRows(db, accountId, touched.slice(i, i + 1000), now);
  for (const w of touched) {
    if (w.applied.removed.length === 0) continue;
    await db
      .deleteFrom("contact_lists")
      .where("account_id", "=", accountId)
      .where("contact_id", "=", w.applied.after.id)
      .where("list_id", "in", w.applied.removed)
      .execute();
  }

  const memberships = writes.flatMap(({ applied: { after, added } }) =>
    added.map((listId) => ({ account_id: accountId, contact_id: after.id, list_id: listId, created_at: now })),
  );
  await insertRows(db, "contact_lists", MEMBERSHIP_COLUMNS, memberships, { onConflict: "nothing" });

  await recordTriggerEvents(
    db,
    accountId,
    writes.flatMap((w) => w.applied.events),
    now,
  );
}

/**
 * Writes many contacts' email, status and fields in one statement, looked up by key
 * (`Dialect.joinedUpdateKeys`). A write
 * that carries the version it was computed from only lands on that version; if any missed
 * it (changed or deleted meanwhile), ContactChangedMeanwhile: the caller's transaction must
 * roll back (docs/adr/0010). Where the dialect has no row versions no write carries one.
 */
async function updateContactRows(db: Db, accountId: number, writes: readonly ContactWrite[], now: number): Promise<void> {
  if (writes.length === 0) return;
  const dialect = dialectOf(db);
  const states = writes.map((w) => w.applied.after);
  const checked = writes.some((w) => w.readVersion !== undefined);
  const relation = rowsRelation(
    db,
    ["text", "text", "text", "text", "text"],
    writes.map((w) => [
      w.applied.after.id,
      w.applied.after.email,
      w.applied.after.status,
      JSON.stringify(w.applied.after.fields),
      w.readVersion ?? null,
    ]),
  );
  const result = await sql<{ id: string }>`
    with v(id, email, status, fields, read_version) as (${relation})
    update contacts set email = v.email, status = v.status, fields = v.fields, updated_at = ${now}
    from v where contacts.account_id = ${accountId} and contacts.id = v.id${dialect.joinedUpdateKeys(
      "contacts.id",
      states.map((c) => c.id),
      "text",
    )}${checked ? sql` and (v.read_version is null or ${dialect.rowVersion()} = v.read_version)` : sql``}
    returning contacts.id`.execute(db);
  if (checked && result.rows.length < writes.length) {
    const written = new Set(result.rows.map((r) => r.id));
    throw new ContactChangedMeanwhile(states.map((c) => c.id).filter((id) => !written.has(id)));
  }
}

// The ingestion endpoint's insert (POST /api/contacts/{id}/events).
const insertEvent = fixedQuery<{ id: number | string }>(
  "insert into contact_events (account_id, contact_id, name, params, created_at) values (?, ?, ?, ?, ?) returning id",
);

/** Records a custom event of a contact; answers its id. */
export async function insertContactEvent(
  db: Db,
  accountId: number,
  contactId: string,
  name: string,
  params: Record<string, unknown>,
  now: number,
): Promise<number> {
  const [inserted] = await insertEvent(db, [accountId, contactId, name, JSON.stringify(params), now]);
  return Number(inserted!.id);
}

/**
 * Removes a contact and its personal data: memberships, custom events, the payloads of
 * its trigger events, and the address and render context of its messages (their counts stay).
 */
export async function eraseContact(db: Db, accountId: number, contactId: string): Promise<void> {
  await db
    .updateTable("trigger_events")
    .set({ payload: JSON.stringify({ v: 1, erased: true }) })
    .where("account_id", "=", accountId)
    .where("contact_id", "=", contactId)
    .execute();
  await db.deleteFrom("contact_lists").where("account_id", "=", accountId).where("contact_id", "=", contactId).execute();
  await db.deleteFrom("contact_events").where("account_id", "=", accountId).where("contact_id", "=", contactId).execute();
  await db.deleteFrom("contacts").where("account_id", "=", accountId).where("id", "=", contactId).execute();
  await db
    .updateTable("messages")
    .set({ to_email: "", context: "{}" })
    .where("account_id", "=", accountId)
    .where("contact_id", "=", contactId)
    .execute();
}
