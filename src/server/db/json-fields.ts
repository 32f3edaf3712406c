import { type Kysely, type RawBuilder, sql } from "kysely";
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

/**
 * A condition on one stored field value: present (non-null) when `value` is undefined,
 * else equal to it with its JSON type (`"2"` never equals `2`; `2` equals `2.0`).
 */
export function fieldValueCondition(dialect: DialectName, fieldId: number, value?: string | number | boolean): RawBuilder<boolean> {
  const key = String(fieldId);
  if (dialect === "postgres") {
    const stored = sql`(contacts.fields::jsonb -> ${key})`;
    if (value === undefined) return sql<boolean>`coalesce(jsonb_typeof(${stored}), 'null') <> 'null'`;
    return sql<boolean>`${stored} = ${JSON.stringify(value)}::jsonb`;
  }
  const jsonPath = `$."${key}"`;
  const type = sql`json_type(contacts.fields, ${jsonPath})`;
  if (value === undefined) return sql<boolean>`coalesce(${type}, 'null') <> 'null'`;
  if (typeof value === "boolean") return sql<boolean>`${type} = ${value ? "true" : "false"}`;
  const types = typeof value === "number" ? sql`('integer', 'real')` : sql`('text')`;
  return sql<boolean>`(${type} in ${types} and json_extract(contacts.fields, ${jsonPath}) = ${value})`;
}
