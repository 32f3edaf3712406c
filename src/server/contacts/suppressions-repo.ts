import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

export function emailHash(normalizedEmail: string): string {
  return createHash("sha256").update(normalizedEmail, "utf8").digest("hex");
}

/** The addresses among `emails` that are suppressed in the account. */
export async function suppressedAmong(db: Kysely<Database>, accountId: number, emails: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const byHash = new Map(emails.map((e) => [emailHash(e), e]));
  const hashes = [...byHash.keys()];
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = await db
      .selectFrom("suppressions")
      .select("email_hash")
      .where("account_id", "=", accountId)
      .where("email_hash", "in", hashes.slice(i, i + 500))
      .execute();
    for (const r of rows) out.add(byHash.get(r.email_hash)!);
  }
  return out;
}

export async function suppress(db: Kysely<Database>, accountId: number, email: string, reason: string, now: number): Promise<void> {
  await db
    .insertInto("suppressions")
    .values({ account_id: accountId, email_hash: emailHash(email), reason, created_at: now })
    .onConflict((oc) => oc.columns(["account_id", "email_hash"]).doUpdateSet({ reason, created_at: now }))
    .execute();
}

export async function unsuppress(db: Kysely<Database>, accountId: number, email: string): Promise<void> {
  await db.deleteFrom("suppressions").where("account_id", "=", accountId).where("email_hash", "=", emailHash(email)).execute();
}
