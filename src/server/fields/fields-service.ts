import type { Store } from "../db/connect.ts";
import { isUniqueViolation } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { errors, Problems } from "../errors.ts";
import type { FieldDataType } from "../../core/contacts/field-value.ts";
import { deleteFieldAndValues, type FieldRow, findField, insertField, listFields, renameField } from "./fields-repo.ts";

export interface ContactFieldView {
  id: number;
  name: string;
  data_type: FieldDataType;
  merge_tag: string;
}

/** Names of automations whose steps use a field; the automations module answers it. */
export type FieldUsage = (accountId: number, fieldId: number) => Promise<string[]>;

const MERGE_TAG_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Template variables that a field must not shadow, and names JSON bodies cannot carry safely.
const RESERVED_TAGS = new Set(["email", "event", "unsubscribe_url", "this", "__proto__", "constructor", "prototype"]);

export function toFieldView(f: FieldRow): ContactFieldView {
  return { id: f.id, name: f.name, data_type: f.data_type, merge_tag: f.merge_tag };
}

export function fieldsService(store: Store, clock: Clock, opts: { maxFields: number; usage?: FieldUsage }) {
  const { db } = store;

  function checkNameAndTag(problems: Problems, name: string | undefined, tag: string | undefined, creating: boolean) {
    if (name !== undefined || creating) {
      if (!name || name.trim() === "") problems.add("name", "can't be blank");
      else if (name.length > 80) problems.add("name", "is too long (maximum is 80 characters)");
    }
    if (tag !== undefined || creating) {
      if (!tag || tag.trim() === "") problems.add("merge_tag", "can't be blank");
      else if (tag.length > 80) problems.add("merge_tag", "is too long (maximum is 80 characters)");
      else if (!MERGE_TAG_RE.test(tag))
        problems.add("merge_tag", "is invalid (letters, digits and underscores, not starting with a digit)");
      else if (RESERVED_TAGS.has(tag.toLowerCase())) problems.add("merge_tag", "is reserved");
    }
  }

  async function checkTaken(problems: Problems, accountId: number, name: string | undefined, tag: string | undefined, exceptId?: number) {
    const rows = await listFields(db, accountId);
    for (const r of rows) {
      if (r.id === exceptId) continue;
      if (name !== undefined && r.name.toLowerCase() === name.toLowerCase()) problems.add("name", "has already been taken");
      if (tag !== undefined && r.merge_tag.toLowerCase() === tag.toLowerCase()) problems.add("merge_tag", "has already been taken");
    }
    return rows.length;
  }

  // Two concurrent requests can both pass the checks; the unique index decides.
  async function guardUnique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isUniqueViolation(err)) throw errors.validation({ base: ["name or merge_tag has already been taken"] });
      throw err;
    }
  }

  return {
    async list(accountId: number): Promise<ContactFieldView[]> {
      return (await listFields(db, accountId)).map(toFieldView);
    },

    async get(accountId: number, id: number): Promise<ContactFieldView> {
      const f = await findField(db, accountId, id);
      if (!f) throw errors.notFound();
      return toFieldView(f);
    },

    async create(accountId: number, input: { name: string; data_type: FieldDataType; merge_tag: string }): Promise<ContactFieldView> {
      const problems = new Problems();
      checkNameAndTag(problems, input.name, input.merge_tag, true);
      problems.throwIfAny();
      const count = await checkTaken(problems, accountId, input.name, input.merge_tag);
      if (count >= opts.maxFields) problems.add("base", `You can have up to ${opts.maxFields} fields`);
      problems.throwIfAny();
      const now = clock.now();
      const row = await guardUnique(() =>
        insertField(db, {
          account_id: accountId,
          name: input.name,
          merge_tag: input.merge_tag,
          data_type: input.data_type,
          created_at: now,
          updated_at: now,
        }),
      );
      return toFieldView(row);
    },

    async update(
      accountId: number,
      id: number,
      input: { name?: string; merge_tag?: string; data_type?: string },
    ): Promise<ContactFieldView> {
      const existing = await findField(db, accountId, id);
      if (!existing) throw errors.notFound();
      const problems = new Problems();
      if (input.data_type !== undefined && input.data_type !== existing.data_type) problems.add("data_type", "cannot be changed");
      checkNameAndTag(problems, input.name, input.merge_tag, false);
      problems.throwIfAny();
      await checkTaken(problems, accountId, input.name, input.merge_tag, id);
      problems.throwIfAny();
      const row = await guardUnique(() =>
        renameField(db, accountId, id, {
          name: input.name ?? existing.name,
          merge_tag: input.merge_tag ?? existing.merge_tag,
          updated_at: clock.now(),
        }),
      );
      return toFieldView(row);
    },

    async delete(accountId: number, id: number): Promise<void> {
      const existing = await findField(db, accountId, id);
      if (!existing) throw errors.notFound();
      const usedBy = opts.usage ? await opts.usage(accountId, id) : [];
      if (usedBy.length > 0) {
        throw errors.validation({ usage: [`This field is used in the steps of automation(s): ${usedBy.join(", ")}.`] });
      }
      await deleteFieldAndValues(db, accountId, id);
    },
  };
}

export type FieldsService = ReturnType<typeof fieldsService>;
