import type { FieldDataType, FieldValue } from "../../../../src/core/contacts/field-value.ts";

/**
 * What an input's text means for a field of `type`: numbers and booleans are stored as
 * such, an empty box as "no value yet" (undefined), and text that does not spell a value
 * of the type is kept as typed so validation can say what is wrong with it.
 */
export function toFieldValue(type: FieldDataType | undefined, raw: string): FieldValue | undefined {
  if (raw.trim() === "") return undefined;
  switch (type) {
    case "integer":
    case "float": {
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    }
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    default:
      return raw;
  }
}

export function fromFieldValue(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}
