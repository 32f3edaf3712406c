import type { Kysely, RawBuilder } from "kysely";
import type { DialectName } from "./dialect.ts";
import { DIALECTS_BY_NAME } from "./dialect-of.ts";
import type { Database } from "./schema.ts";

/** Removes one field's value from every contact of an account (JSON functions differ per dialect). */
export async function removeContactFieldValues(db: Kysely<Database>, dialect: DialectName, accountId: number, fieldId: number): Promise<void> {
  await DIALECTS_BY_NAME[dialect].removeFieldValues(db, accountId, fieldId);
}

/**
 * A condition on one stored field value: present (non-null) when `value` is undefined,
 * else equal to it with its JSON type (`"2"` never equals `2`; `2` equals `2.0`).
 */
export function fieldValueCondition(dialect: DialectName, fieldId: number, value?: string | number | boolean): RawBuilder<boolean> {
  return DIALECTS_BY_NAME[dialect].fieldValue(fieldId, value);
}
