import { type Kysely, sql } from "kysely";
import type { DialectName } from "./connect.ts";
import type { Database } from "./schema.ts";

/** Removes one field's value from every contact of an account (JSON functions differ per dialect). */
export async function removeContactFieldValues(db: Kysely<Database>, dialect: DialectName, accountId: number, fieldId: number): Promise<void> {
  const key = String(fieldId);
  if (dialect === "postgres") {
    await sql`update contacts set fields = (fields::jsonb - ${key})::text
      where account_id = ${accountId} and jsonb_exists(fields::jsonb, ${key})`.execute(db);
  } else {
    const jsonPath = `$."${key}"`;
    await sql`update contacts set fields = json_remove(fields, ${jsonPath})
      where account_id = ${accountId} and json_type(fields, ${jsonPath}) is not null`.execute(db);
  }
}
