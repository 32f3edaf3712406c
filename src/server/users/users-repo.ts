import type { Kysely, Selectable } from "kysely";
import type { Database, UsersTable } from "../db/schema.ts";

export type UserRow = Selectable<UsersTable>;
type Db = Kysely<Database>;

/** True once any user exists: the first-start setup is over. */
export async function anyUser(db: Db): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

/** A user by (lower-cased) email, across accounts: login names no account. */
export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

export function findUser(db: Db, accountId: number, id: number): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}

export function insertUser(db: Db, user: { accountId: number; email: string; passwordHash: string; now: number }): Promise<UserRow> {
  return db
    .insertInto("users")
    .values({ account_id: user.accountId, email: user.email, password_hash: user.passwordHash, created_at: user.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}
