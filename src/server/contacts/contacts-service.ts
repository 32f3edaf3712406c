import type { Kysely } from "kysely";
import { v7 as uuidv7 } from "uuid";
import type { Store } from "../db/connect.ts";
import { isUniqueViolation } from "../db/connect.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { ApiError, errors, type FieldErrors, messagesOf, Problems } from "../errors.ts";
import { applyContactChange, type ContactChange, type ContactState } from "../../core/contacts/contact-change.ts";
import { emailProblem, normalizeEmail } from "../../core/contacts/email.ts";
import { type FieldValue, parseFieldValue } from "../../core/contacts/field-value.ts";
import { type FieldRow, listFields } from "../fields/fields-repo.ts";
import { missingListIds } from "../lists/lists-service.ts";
import { recordTriggerEvents } from "../triggers/trigger-events.ts";
import { exitRunsOfContact } from "../db/runs-repo.ts";
import { groupCommit } from "../db/group-commit.ts";
import { fixedQuery } from "../db/fixed-query.ts";
import { countContacts, type ContactSearch, findContact, listIdsOf, persistContactWrites, searchContacts, toState } from "./contacts-repo.ts";
import type { ContactView } from "../../core/contacts/contact-view.ts";
import { fieldsByTag, resolveFieldInput } from "./field-input.ts";
import { suppress, suppressedAmong, unsuppress } from "./suppressions.ts";

export type { ContactView };

export interface CreateContactInput {
  email: string;
  fields?: Record<string, unknown>;
  list_ids?: number[];
}

export interface UpsertContactInput {
  email: string;
  fields?: Record<string, unknown>;
  list_ids_included?: number[];
  list_ids_excluded?: number[];
  unsubscribed?: boolean;
}

export interface ListContactsQuery {
  search?: string;
  status?: "subscribed" | "unsubscribed";
  list_id?: number;
  /** A merge tag: contacts with a value for it, or with `value` when given. */
  field?: string;
  value?: string;
  limit: number;
  cursor?: string;
}

const CURSOR_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface EventInput {
  name: string;
  params?: Record<string, string | number | boolean | null>;
}

type Db = Kysely<Database>;

// The ingestion endpoint's insert (POST /api/contacts/{id}/events).
const insertEvent = fixedQuery<{ id: number | string }>("insert into contact_events (account_id, contact_id, name, params, created_at) values (?, ?, ?, ?, ?) returning id");

function merge(into: FieldErrors, from: FieldErrors): void {
  for (const [k, msgs] of Object.entries(from)) messagesOf(into, k).push(...msgs);
}

function throwIf(problems: FieldErrors): void {
  if (Object.keys(problems).length > 0) throw errors.validation(problems);
}

/** Validation shared by create and upsert: email shape, field values, list existence. */
async function checkInput(
  db: Db,
  accountId: number,
  input: { email: string; fields?: Record<string, unknown> },
  listIds: { attribute: string; ids: number[] }[],
): Promise<{ email: string; defs: FieldRow[]; values: Map<number, FieldValue> }> {
  const problems: FieldErrors = {};
  const email = normalizeEmail(input.email);
  const emailIssue = emailProblem(email);
  if (emailIssue) problems["email"] = [emailIssue];
  const defs = await listFields(db, accountId);
  const { values, problems: fieldProblems } = resolveFieldInput(defs, input.fields);
  merge(problems, fieldProblems);
  for (const { attribute, ids } of listIds) {
    const missing = await missingListIds(db, accountId, ids);
    if (missing.length > 0) (problems[attribute] ??= []).push(`contains invalid data: list ${missing.join(", ")} not found`);
  }
  throwIf(problems);
  return { email, defs, values };
}

export function contactsService(store: Store, clock: Clock, opts: { maxContacts: number; onChange?: () => void }) {
  const { db } = store;
  // Contact writes from the API commit in groups on SQLite (see groupCommit).
  const writes = groupCommit(store);
  /** Runs a write and then wakes the engine in this process (PostgreSQL also NOTIFYs). */
  async function changed<T>(work: Promise<T>): Promise<T> {
    const result = await work;
    opts.onChange?.();
    return result;
  }

  function view(state: ContactState, defs: readonly FieldRow[], createdAt: number, updatedAt: number): ContactView {
    return {
      id: state.id,
      status: state.status,
      email: state.email,
      fields: fieldsByTag(defs, state.fields),
      list_ids: state.listIds,
      created_at: createdAt,
      updated_at: updatedAt,
    };
  }

  async function checkLimit(trx: Db, accountId: number): Promise<void> {
    if (opts.maxContacts > 0 && (await countContacts(trx, accountId)) >= opts.maxContacts) {
      throw errors.validation({ base: ["contacts limit reached"] });
    }
  }

  /** Inserts a new contact from a change; the caller holds the transaction. */
  async function insertNew(trx: Db, accountId: number, email: string, change: ContactChange, defs: FieldRow[], now: number) {
    await checkLimit(trx, accountId);
    const suppressed = (await suppressedAmong(trx, accountId, [email])).has(email);
    const status = (change.unsubscribed ?? suppressed) ? "unsubscribed" : "subscribed";
    const tags = new Map(defs.map((d) => [d.id, d.merge_tag]));
    const applied = applyContactChange(null, { id: uuidv7(), email, status }, { ...change, unsubscribed: undefined }, tags);
    await persistContactWrites(trx, accountId, [{ applied, isNew: true }], now);
    if (change.unsubscribed === false) await unsuppress(trx, accountId, email);
    return view(applied.after, defs, now, now);
  }

  /** Runs a write; a unique-email race between two requests becomes a 422, never a 500. */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (isUniqueViolation(err)) throw errors.validation({ email: ["has already been taken"] });
      throw err;
    }
  }

  return {
    async get(accountId: number, identifier: string): Promise<ContactView> {
      const row = await findContact(db, accountId, identifier);
      if (!row) throw errors.notFound();
      const [defs, lists] = await Promise.all([listFields(db, accountId), listIdsOf(db, accountId, [row.id])]);
      return view(toState(row, lists.get(row.id) ?? []), defs, row.created_at, row.updated_at);
    },

    /** A page of contacts, newest first, filtered; `next_cursor` names the next page (null on the last). */
    async list(accountId: number, q: ListContactsQuery): Promise<{ data: ContactView[]; next_cursor: string | null }> {
      const problems = new Problems();
      const defs = await listFields(db, accountId);
      let field: ContactSearch["field"];
      if (q.field !== undefined) {
        const def = defs.find((d) => d.merge_tag === q.field);
        if (!def) problems.add("field", `contains unknown field: ${q.field}`);
        else if (q.value === undefined) field = { id: def.id };
        else {
          const parsed = parseFieldValue(def.data_type, q.value);
          if (!parsed.ok || parsed.value === null) problems.add("value", `is invalid for ${def.data_type} field ${def.merge_tag}`);
          else field = { id: def.id, value: parsed.value };
        }
      } else if (q.value !== undefined) problems.add("field", "can't be blank when value is given");
      let before: string | undefined;
      if (q.cursor !== undefined) {
        before = Buffer.from(q.cursor, "base64url").toString("utf8");
        if (!CURSOR_RE.test(before)) problems.add("cursor", "is invalid");
      }
      problems.throwIfAny();
      const rows = await searchContacts(db, store.dialect, accountId, {
        ...(q.search ? { search: q.search } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.list_id !== undefined ? { listId: q.list_id } : {}),
        ...(field ? { field } : {}),
        ...(before !== undefined ? { before } : {}),
        // One more than asked: whether it exists says whether there is a next page.
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const lists = await listIdsOf(db, accountId, page.map((r) => r.id));
      const data = page.map((r) => view(toState(r, lists.get(r.id) ?? []), defs, r.created_at, r.updated_at));
      const last = page[page.length - 1];
      return { data, next_cursor: rows.length > q.limit && last ? Buffer.from(last.id, "utf8").toString("base64url") : null };
    },

    async create(accountId: number, input: CreateContactInput): Promise<ContactView> {
      const listIds = input.list_ids ?? [];
      const { email, defs, values } = await checkInput(db, accountId, input, [{ attribute: "list_ids", ids: listIds }]);
      return changed(guarded(() =>
        writes.run(async (trx) => {
          if (await findContact(trx, accountId, email)) throw errors.validation({ email: ["has already been taken"] });
          return insertNew(trx, accountId, email, { fields: values, listsIncluded: listIds }, defs, clock.now());
        }),
      ));
    },

    /** Mailtrap's PATCH: updates the contact the identifier names, or creates it. */
    async upsert(accountId: number, identifier: string, input: UpsertContactInput): Promise<{ action: "created" | "updated"; data: ContactView }> {
      const included = input.list_ids_included ?? [];
      const excluded = input.list_ids_excluded ?? [];
      const both = included.filter((id) => excluded.includes(id));
      if (both.length > 0) {
        throw errors.validation({ base: [`same list_ids ${both.join(", ")} are specified both as included and excluded`] });
      }
      const { email, defs, values } = await checkInput(db, accountId, input, [
        { attribute: "list_ids_included", ids: included },
        { attribute: "list_ids_excluded", ids: excluded },
      ]);
      const change: ContactChange = { email, fields: values, listsIncluded: included, listsExcluded: excluded, unsubscribed: input.unsubscribed };

      return changed(guarded(() =>
        writes.run(async (trx) => {
          const now = clock.now();
          const row = (await findContact(trx, accountId, identifier, { forUpdate: true })) ?? (await findContact(trx, accountId, email, { forUpdate: true }));
          if (!row) return { action: "created" as const, data: await insertNew(trx, accountId, email, change, defs, now) };

          if (email !== row.email && (await findContact(trx, accountId, email))) {
            throw errors.validation({ email: ["has already been taken"] });
          }
          const lists = await listIdsOf(trx, accountId, [row.id]);
          const tags = new Map(defs.map((d) => [d.id, d.merge_tag]));
          const applied = applyContactChange(toState(row, lists.get(row.id) ?? []), null, change, tags);
          await persistContactWrites(trx, accountId, [{ applied, isNew: false }], now);
          if (input.unsubscribed === false) await unsuppress(trx, accountId, email);
          const touched = applied.rowChanged || applied.added.length > 0 || applied.removed.length > 0;
          return { action: "updated" as const, data: view(applied.after, defs, row.created_at, touched ? now : row.updated_at) };
        }),
      ));
    },

    /**
     * Deletes a contact and erases its personal data: memberships, events, and the
     * payloads of its earlier trigger events. A hash of the address stays as a suppression.
     */
    async delete(accountId: number, identifier: string): Promise<void> {
      await changed(db.transaction().execute(async (trx) => {
        const row = await findContact(trx, accountId, identifier);
        if (!row) throw errors.contactsNotFound();
        const now = clock.now();
        await trx
          .updateTable("trigger_events")
          .set({ payload: JSON.stringify({ v: 1, erased: true }) })
          .where("account_id", "=", accountId)
          .where("contact_id", "=", row.id)
          .execute();
        await recordTriggerEvents(trx, accountId, [{ type: "contact_deleted", contactId: row.id }], now);
        await trx.deleteFrom("contact_lists").where("account_id", "=", accountId).where("contact_id", "=", row.id).execute();
        await trx.deleteFrom("contact_events").where("account_id", "=", accountId).where("contact_id", "=", row.id).execute();
        await trx.deleteFrom("contacts").where("account_id", "=", accountId).where("id", "=", row.id).execute();
        await suppress(trx, accountId, row.email, "deleted", now);
        // Its runs leave now (a run mid-step leaves at its next step); messages keep counts, not the address.
        await exitRunsOfContact(trx, accountId, row.id, now);
        await trx.updateTable("messages").set({ to_email: "", context: "{}" }).where("account_id", "=", accountId).where("contact_id", "=", row.id).execute();
      }));
    },

    async createEvent(accountId: number, identifier: string, input: EventInput) {
      const params = input.params ?? {};
      return changed(writes.run(async (trx) => {
        const row = await findContact(trx, accountId, identifier);
        if (!row) throw errors.notFound();
        const now = clock.now();
        const [inserted] = await insertEvent(trx, [accountId, row.id, input.name, JSON.stringify(params), now]);
        await recordTriggerEvents(trx, accountId, [{ type: "custom_event", contactId: row.id, eventId: Number(inserted!.id), name: input.name, params }], now);
        return { contact_id: row.id, contact_email: row.email, name: input.name, params };
      }));
    },
  };
}

export type ContactsService = ReturnType<typeof contactsService>;
