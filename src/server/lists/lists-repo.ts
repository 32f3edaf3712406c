import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { startsWithIgnoringCase } from "../db/like.ts";

type Db = Kysely<Database>;
const VIEW = ["id", "name"] as const;

/** The ids among `ids` that are not lists of the account. */
export async function missingListIds(db: Db, accountId: number, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const found = await db.selectFrom("lists").select("id").where("account_id", "=", accountId).where("id", "in", unique).execute();
  const have = new Set(found.map((r) => r.id));
  return unique.filter((id) => !have.has(id));
}

export function findList(db: Db, accountId: number, id: number) {
  return db.selectFrom("lists").select(VIEW).where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}

/** All lists, or those whose name starts with `search` (case-insensitive), by id. */
export function listLists(db: Db, accountId: number, search?: string) {
  let q = db.selectFrom("lists").select(VIEW).where("account_id", "=", accountId);
  if (search) {
    q = q.where(startsWithIgnoringCase("name", search));
  }
  return q.orderBy("id").execute();
}

export function insertList(db: Db, accountId: number, name: string, now: number) {
  return db
    .insertInto("lists")
    .values({ account_id: accountId, name, created_at: now, updated_at: now })
    .returning(VIEW)
    .executeTakeFirstOrThrow();
}

export function renameList(db: Db, accountId: number, id: number, name: string, now: number) {
  return db
    .updateTable("lists")
    .set({ name, updated_at: now })
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .returning(VIEW)
    .executeTakeFirstOrThrow();
}

/** Deletes the list and its memberships (call inside a transaction). */
export async function deleteList(db: Db, accountId: number, id: number): Promise<void> {
  await db.deleteFrom("contact_lists").where("account_id", "=", accountId).where("list_id", "=", id).execute();
  await db.deleteFrom("lists").where("account_id", "=", accountId).where("id", "=", id).execute();
}
