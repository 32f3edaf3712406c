import { createHash, randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database, SessionsTable } from "../db/schema.ts";

export type SessionRow = Selectable<SessionsTable>;
type Db = Kysely<Database>;

/** Sessions are found by the hash of the cookie's secret: a stolen database opens none. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new session; the returned token is the cookie's value and is never stored. */
export async function insertSession(
  db: Db,
  s: { accountId: number; userId: number; now: number; expiresAt: number },
): Promise<{ token: string; row: SessionRow }> {
  const token = randomBytes(32).toString("base64url");
  const row = await db
    .insertInto("sessions")
    .values({
      token_hash: hashSessionToken(token),
      account_id: s.accountId,
      user_id: s.userId,
      csrf_token: randomBytes(32).toString("base64url"),
      created_at: s.now,
      expires_at: s.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, row };
}

export function findSession(db: Db, token: string): Promise<SessionRow | undefined> {
  return db.selectFrom("sessions").selectAll().where("token_hash", "=", hashSessionToken(token)).executeTakeFirst();
}

export async function deleteSession(db: Db, row: Pick<SessionRow, "account_id" | "token_hash">): Promise<void> {
  await db.deleteFrom("sessions").where("account_id", "=", row.account_id).where("token_hash", "=", row.token_hash).execute();
}

/** Removes a user's sessions that have expired (each login tidies its own user's rows). */
export async function deleteExpiredSessions(db: Db, accountId: number, userId: number, now: number): Promise<void> {
  await db
    .deleteFrom("sessions")
    .where("account_id", "=", accountId)
    .where("user_id", "=", userId)
    .where("expires_at", "<=", now)
    .execute();
}
