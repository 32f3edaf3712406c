import { type Kysely, sql } from "kysely";
import type { Store } from "../db/connect.ts";
import { isUniqueViolation } from "../db/connect.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { errors, Problems } from "../errors.ts";

export interface ContactListView {
  id: number;
  name: string;
}

/** The ids among `ids` that are not lists of the account. */
export async function missingListIds(db: Kysely<Database>, accountId: number, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const found = await db.selectFrom("lists").select("id").where("account_id", "=", accountId).where("id", "in", unique).execute();
  const have = new Set(found.map((r) => r.id));
  return unique.filter((id) => !have.has(id));
}

/** Names of automations that use a list (trigger, list steps, list rules); the automations module answers it. */
export type ListUsage = (accountId: number, listId: number) => Promise<string[]>;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function listsService(store: Store, clock: Clock, opts: { usage?: ListUsage } = {}) {
  const { db } = store;

  function checkName(name: string | undefined): string {
    const problems = new Problems();
    const trimmed = (name ?? "").trim();
    if (trimmed === "") problems.add("name", "can't be blank");
    else if (trimmed.length > 255) problems.add("name", "is too long (maximum is 255 characters)");
    problems.throwIfAny();
    return trimmed;
  }

  async function write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isUniqueViolation(err)) throw errors.validation({ name: ["has already been taken"] });
      throw err;
    }
  }

  async function find(accountId: number, id: number) {
    const row = await db.selectFrom("lists").select(["id", "name"]).where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
    if (!row) throw errors.notFound();
    return row;
  }

  return {
    /** All lists, or those whose name starts with `search` (case-insensitive). */
    async list(accountId: number, search?: string): Promise<ContactListView[]> {
      let q = db.selectFrom("lists").select(["id", "name"]).where("account_id", "=", accountId);
      if (search) {
        const pattern = `${escapeLike(search.toLowerCase())}%`;
        q = q.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
      }
      return q.orderBy("id").execute();
    },

    get: find,

    async create(accountId: number, input: { name?: string }): Promise<ContactListView> {
      const name = checkName(input.name);
      const now = clock.now();
      return write(() =>
        db.insertInto("lists").values({ account_id: accountId, name, created_at: now, updated_at: now }).returning(["id", "name"]).executeTakeFirstOrThrow(),
      );
    },

    async update(accountId: number, id: number, input: { name?: string }): Promise<ContactListView> {
      await find(accountId, id);
      const name = checkName(input.name);
      return write(() =>
        db
          .updateTable("lists")
          .set({ name, updated_at: clock.now() })
          .where("account_id", "=", accountId)
          .where("id", "=", id)
          .returning(["id", "name"])
          .executeTakeFirstOrThrow(),
      );
    },

    /**
     * Deleting a list drops its memberships; it fires no per-contact removal (docs/api.md).
     * A list an automation uses is refused (409): its trigger could never fire again and
     * its list steps would do nothing, while the automation still showed "active".
     */
    async delete(accountId: number, id: number): Promise<void> {
      await find(accountId, id);
      const usedBy = opts.usage ? await opts.usage(accountId, id) : [];
      if (usedBy.length > 0) throw errors.conflict(`This list is used by automation(s): ${usedBy.join(", ")}. Remove it from them first.`);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("contact_lists").where("account_id", "=", accountId).where("list_id", "=", id).execute();
        await trx.deleteFrom("lists").where("account_id", "=", accountId).where("id", "=", id).execute();
      });
    },
  };
}

export type ListsService = ReturnType<typeof listsService>;
