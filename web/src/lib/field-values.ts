import type { ContactField, FieldValue } from "../api/contacts.ts";

/**
 * A form's text for a field, as the API wants it: numbers and booleans typed, dates as
 * `YYYY-MM-DD`, and empty input meaning "no value". Text that does not spell a number is
 * sent as typed, so the server's message names the field rather than the form guessing.
 */
export function toFieldValue(def: ContactField, raw: string): FieldValue | undefined {
  const text = raw.trim();
  if (text === "") return undefined;
  switch (def.data_type) {
    case "integer":
    case "float":
      return Number.isFinite(Number(text)) ? Number(text) : text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    default:
      return def.data_type === "text" ? raw : text;
  }
}

/** The form text for a stored value. */
export function fromFieldValue(value: FieldValue | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

/** Form texts by merge tag → the `fields` object of a request; `clear` sends null for emptied ones. */
export function fieldsFromForm(defs: ContactField[], form: Record<string, string>, clear = false): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const def of defs) {
    const raw = form[def.merge_tag];
    if (raw === undefined) continue;
    const value = toFieldValue(def, raw);
    if (value !== undefined) out[def.merge_tag] = value;
    else if (clear) out[def.merge_tag] = null;
  }
  return out;
}
