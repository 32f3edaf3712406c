import { type FieldValue, parseFieldValue } from "../../core/contacts/field-value.ts";
import { type FieldErrors, messagesOf } from "../errors.ts";
import type { FieldRow } from "../fields/fields-repo.ts";

/**
 * Resolves a `{merge_tag: value}` object against the account's fields: values keyed by
 * field id, or per-merge-tag problems (unknown tag, value of the wrong type).
 */
export function resolveFieldInput(
  defs: readonly FieldRow[],
  input: Record<string, unknown> | undefined,
): { values: Map<number, FieldValue>; problems: FieldErrors } {
  const values = new Map<number, FieldValue>();
  const problems: FieldErrors = {};
  if (input === undefined) return { values, problems };
  const byTag = new Map(defs.map((d) => [d.merge_tag, d]));
  for (const [tag, raw] of Object.entries(input)) {
    const def = byTag.get(tag);
    if (!def) {
      messagesOf(problems, "fields").push(`contains unknown field: ${tag}`);
      continue;
    }
    const parsed = parseFieldValue(def.data_type, raw);
    if (parsed.ok) values.set(def.id, parsed.value);
    else messagesOf(problems, tag).push(parsed.message);
  }
  return { values, problems };
}

/** Stored values (keyed by field id) as the API shows them: keyed by merge tag. */
export function fieldsByTag(defs: readonly FieldRow[], stored: Record<string, FieldValue>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const d of defs) {
    const v = stored[String(d.id)];
    if (v !== undefined && v !== null) out[d.merge_tag] = v;
  }
  return out;
}
