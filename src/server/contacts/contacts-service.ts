import type { Kysely } from "kysely";
import { v7 as uuidv7 } from "uuid";
import type { Store } from "../db/connect.ts";
import { isUniqueViolation } from "../db/connect.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { ApiError, errors, type FieldErrors, messagesOf, Problems } from "../errors.ts";
import type { ContactChange, ContactState } from "../../core/contacts/contact-change.ts";
import { emailProblem, normalizeEmail } from "../../core/contacts/email.ts";
import { type FieldValue, parseFieldValue } from "../../core/contacts/field-value.ts";
import { type FieldRow, listFields } from "../fields/fields-repo.ts";
import { missingListIds } from "../lists/lists-repo.ts";
import { recordTriggerEvents } from "../triggers/trigger-events.ts";
import { exitRunsOfContact } from "../db/runs-repo.ts";
import { groupCommit } from "../db/group-commit.ts";
import {
  countContacts,
  type ContactSearch,
  eraseContact,
  findContact,
  insertContactEvent,
  isContactId,
  listIdsOf,
  searchContacts,
  toState,
} from "./contacts-repo.ts";
import { type ContactBatch, ContactChangedMeanwhile, readContacts, withContactRaces } from "./contact-writer.ts";
import type { ContactView } from "../../core/contacts/contact-view.ts";
import { fieldsByTag, resolveFieldInput } from "./field-input.ts";
import { suppress, suppressedAmong, unsuppress } from "./suppressions-repo.ts";

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

function mergeTags(defs: readonly FieldRow[]): Map<number, string> {
  return new Map(defs.map((d) => [d.id, d.merge_tag]));
}

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

  /** Creates a contact in the writer's batch and writes it; the caller holds the transaction. */
  async function insertNew(
    trx: Db,
    accountId: number,
    batch: ContactBatch,
    email: string,
    change: ContactChange,
    defs: FieldRow[],
    now: number,
  ) {
    await checkLimit(trx, accountId);
    const suppressed = (await suppressedAmong(trx, accountId, [email])).has(email);
    const status = (change.unsubscribed ?? suppressed) ? "unsubscribed" : "subscribed";
    const applied = batch.create({ id: uuidv7(), email, status }, { ...change, unsubscribed: undefined });
    await batch.persist(now);
    if (change.unsubscribed === false) await unsuppress(trx, accountId, email);
    return view(applied.after, defs, now, now);
  }

  /**
   * Runs a write; a unique-email race between two requests becomes a 422, and a contact
   * still changing under every one of the writer's attempts a 409 (try again), never a 500.
   */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (isUniqueViolation(err)) throw errors.validation({ email: ["has already been taken"] });
      if (err instanceof ContactChangedMeanwhile) throw errors.conflict("the contact kept changing meanwhile; try again");
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
      const rows = await searchContacts(db, accountId, {
        ...(q.search ? { search: q.search } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.list_id !== undefined ? { listId: q.list_id } : {}),
        ...(field ? { field } : {}),
        ...(before !== undefined ? { before } : {}),
        // One more than asked: whether it exists says whether there is a next page.
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const lists = await listIdsOf(
        db,
        accountId,
        page.map((r) => r.id),
      );
      const data = page.map((r) => view(toState(r, lists.get(r.id) ?? []), defs, r.created_at, r.updated_at));
      const last = page[page.length - 1];
      return { data, next_cursor: rows.length > q.limit && last ? Buffer.from(last.id, "utf8").toString("base64url") : null };
    },

    async create(accountId: number, input: CreateContactInput): Promise<ContactView> {
      const listIds = input.list_ids ?? [];
      const { email, defs, values } = await checkInput(db, accountId, input, [{ attribute: "list_ids", ids: listIds }]);
      return changed(
        guarded(() =>
          writes.run(async (trx) => {
            const batch = await readContacts(trx, accountId, { emails: [email] }, mergeTags(defs));
            if (batch.current(email)) throw errors.validation({ email: ["has already been taken"] });
            return insertNew(trx, accountId, batch, email, { fields: values, listsIncluded: listIds }, defs, clock.now());
          }),
        ),
      );
    },

    /** Mailtrap's PATCH: updates the contact the identifier names, or creates it. */
    async upsert(
      accountId: number,
      identifier: string,
      input: UpsertContactInput,
    ): Promise<{ action: "created" | "updated"; data: ContactView }> {
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
      const change: ContactChange = {
        email,
        fields: values,
        listsIncluded: included,
        listsExcluded: excluded,
        unsubscribed: input.unsubscribed,
      };

      // Computed from the contact as read, written only over that version: a change another
      // transaction committed meanwhile makes the write compute again (withContactRaces).
      return changed(
        guarded(() =>
          withContactRaces(() =>
            writes.run(async (trx) => {
              const now = clock.now();
              const named = isContactId(identifier)
                ? { ids: [identifier.toLowerCase()], emails: [email] }
                : { emails: [normalizeEmail(identifier), email] };
              const batch = await readContacts(trx, accountId, named, mergeTags(defs));
              const before =
                batch.current(isContactId(identifier) ? identifier.toLowerCase() : normalizeEmail(identifier)) ?? batch.current(email);
              if (!before) return { action: "created" as const, data: await insertNew(trx, accountId, batch, email, change, defs, now) };

              const holder = batch.current(email);
              if (holder && holder.id !== before.id) throw errors.validation({ email: ["has already been taken"] });
              const applied = batch.change(before.id, change)!;
              await batch.persist(now);
              if (input.unsubscribed === false) await unsuppress(trx, accountId, email);
              const touched = applied.rowChanged || applied.added.length > 0 || applied.removed.length > 0;
              const stamps = batch.stamps(before.id)!;
              return { action: "updated" as const, data: view(applied.after, defs, stamps.createdAt, touched ? now : stamps.updatedAt) };
            }),
          ),
        ),
      );
    },

    /**
     * Deletes a contact and erases its personal data: memberships, events, and the
     * payloads of its earlier trigger events. A hash of the address stays as a suppression.
     */
    async delete(accountId: number, identifier: string): Promise<void> {
      await changed(
        db.transaction().execute(async (trx) => {
          const row = await findContact(trx, accountId, identifier);
          if (!row) throw errors.contactsNotFound();
          const now = clock.now();
          await eraseContact(trx, accountId, row.id);
          await recordTriggerEvents(trx, accountId, [{ type: "contact_deleted", contactId: row.id }], now);
          await suppress(trx, accountId, row.email, "deleted", now);
          // Its runs leave now (a run mid-step leaves at its next step); messages keep counts, not the address.
          await exitRunsOfContact(trx, accountId, row.id, now);
        }),
      );
    },

    async createEvent(accountId: number, identifier: string, input: EventInput) {
      const params = input.params ?? {};
      return changed(
        writes.run(async (trx) => {
          const row = await findContact(trx, accountId, identifier);
          if (!row) throw errors.notFound();
          const now = clock.now();
          const eventId = await insertContactEvent(trx, accountId, row.id, input.name, params, now);
          await recordTriggerEvents(trx, accountId, [{ type: "custom_event", contactId: row.id, eventId, name: input.name, params }], now);
          return { contact_id: row.id, contact_email: row.email, name: input.name, params };
        }),
      );
    },
  };
}

export type ContactsService = ReturnType<typeof contactsService>;
