import type { Store } from "../db/connect.ts";
import { isUniqueViolation } from "../db/connect.ts";
import { deleteList, findList, insertList, listLists, renameList } from "./lists-repo.ts";
import type { Clock } from "../clock.ts";
import { errors, Problems } from "../errors.ts";

export interface ContactListView {
  id: number;
  name: string;
}

/** Names of automations that use a list (trigger, list steps, list rules); the automations module answers it. */
export type ListUsage = (accountId: number, listId: number) => Promise<string[]>;

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
    const row = await findList(db, accountId, id);
    if (!row) throw errors.notFound();
    return row;
  }

  return {
    /** All lists, or those whose name starts with `search` (case-insensitive). */
    async list(accountId: number, search?: string): Promise<ContactListView[]> {
      return listLists(db, accountId, search);
    },

    get: find,

    async create(accountId: number, input: { name?: string }): Promise<ContactListView> {
      const name = checkName(input.name);
      const now = clock.now();
      return write(() => insertList(db, accountId, name, now));
    },

    async update(accountId: number, id: number, input: { name?: string }): Promise<ContactListView> {
      await find(accountId, id);
      const name = checkName(input.name);
      return write(() => renameList(db, accountId, id, name, clock.now()));
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
      await db.transaction().execute((trx) => deleteList(trx, accountId, id));
    },
  };
}

export type ListsService = ReturnType<typeof listsService>;
