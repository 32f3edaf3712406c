import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { generateToken, hashToken } from "./tokens.ts";

export interface TokenRow {
  id: number;
  name: string;
  created_at: number;
  revoked_at: number | null;
}

/** Stores a new token's hash; the token itself is returned once and never kept. */
export async function insertToken(
  db: Kysely<Database>,
  accountId: number,
  name: string,
  now: number,
  token = generateToken(),
): Promise<TokenRow & { token: string }> {
  const row = await db
    .insertInto("api_tokens")
    .values({ account_id: accountId, name, token_hash: hashToken(token), created_at: now, revoked_at: null })
    .returning(["id", "name", "created_at", "revoked_at"])
    .executeTakeFirstOrThrow();
  return { ...row, token };
}

/** The account's tokens, oldest first, revoked ones included (never a hash or a secret). */
export function listTokens(db: Kysely<Database>, accountId: number): Promise<TokenRow[]> {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name", "created_at", "revoked_at"])
    .where("account_id", "=", accountId)
    .orderBy("id")
    .execute();
}

/** Revokes one of the account's tokens; false when the account has no such token. Revoking twice keeps the first time. */
export async function revokeToken(db: Kysely<Database>, accountId: number, id: number, now: number): Promise<boolean> {
  const row = await db
    .selectFrom("api_tokens")
    .select("revoked_at")
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return false;
  if (row.revoked_at === null) {
    await db
      .updateTable("api_tokens")
      .set({ revoked_at: now })
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .execute();
  }
  return true;
}
