import type { Kysely, Selectable } from "kysely";
import type { Database, IdempotencyKeysTable } from "../db/schema.ts";

type Db = Kysely<Database>;
export type KeyRow = Selectable<IdempotencyKeysTable>;

/** Reserves the key for a request now running; throws the unique violation when it exists. */
export async function insertKey(
  db: Db,
  accountId: number,
  key: string,
  fingerprint: string,
  lockedUntil: number,
  now: number,
): Promise<void> {
  await db
    .insertInto("idempotency_keys")
    .values({
      account_id: accountId,
      key,
      fingerprint,
      status_code: null,
      response_body: null,
      response_type: null,
      locked_until: lockedUntil,
      created_at: now,
    })
    .execute();
}

export function findKey(db: Db, accountId: number, key: string): Promise<KeyRow | undefined> {
  return db.selectFrom("idempotency_keys").selectAll().where("account_id", "=", accountId).where("key", "=", key).executeTakeFirst();
}

/** Removes an expired key, only the row created at `createdAt` (not a newer reservation). */
export async function deleteExpiredKey(db: Db, accountId: number, key: string, createdAt: number): Promise<void> {
  await db
    .deleteFrom("idempotency_keys")
    .where("account_id", "=", accountId)
    .where("key", "=", key)
    .where("created_at", "=", createdAt)
    .execute();
}

/** Takes over a key whose holder is presumed dead; true when this call took it. */
export async function takeOverKey(db: Db, accountId: number, key: string, seenLockedUntil: number, lockedUntil: number): Promise<boolean> {
  const taken = await db
    .updateTable("idempotency_keys")
    .set({ locked_until: lockedUntil })
    .where("account_id", "=", accountId)
    .where("key", "=", key)
    .where("locked_until", "=", seenLockedUntil)
    .where("status_code", "is", null)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Releases a reservation that got no answer to keep (a 5xx). */
export async function releaseKey(db: Db, accountId: number, key: string): Promise<void> {
  await db
    .deleteFrom("idempotency_keys")
    .where("account_id", "=", accountId)
    .where("key", "=", key)
    .where("status_code", "is", null)
    .execute();
}

export async function storeAnswer(
  db: Db,
  accountId: number,
  key: string,
  status: number,
  body: string,
  type: string | null,
): Promise<void> {
  await db
    .updateTable("idempotency_keys")
    .set({ status_code: status, response_body: body, response_type: type })
    .where("account_id", "=", accountId)
    .where("key", "=", key)
    .execute();
}

export async function purgeKeysBefore(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom("idempotency_keys").where("created_at", "<", before).executeTakeFirst();
  return Number(res.numDeletedRows);
}
