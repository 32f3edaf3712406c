import type { RawBuilder } from "kysely";
import type { DialectName } from "./dialect.ts";
import { DIALECTS_BY_NAME } from "./dialect-of.ts";

/**
 * A condition on one stored field value: present (non-null) when `value` is undefined,
 * else equal to it with its JSON type (`"2"` never equals `2`; `2` equals `2.0`).
 */
export function fieldValueCondition(dialect: DialectName, fieldId: number, value?: string | number | boolean): RawBuilder<boolean> {
  return DIALECTS_BY_NAME[dialect].fieldValue(fieldId, value);
}
