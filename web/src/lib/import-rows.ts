import type { ContactField, FieldValue } from "../api/contacts.ts";
import { toFieldValue } from "./field-values.ts";

/** What a CSV column becomes: the email, one custom field (by merge tag), or nothing. */
export type ColumnTarget = { kind: "skip" } | { kind: "email" } | { kind: "field"; mergeTag: string };

export interface ImportContact {
  email: string;
  fields?: Record<string, FieldValue>;
  list_ids_included?: number[];
}

const normalise = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

/** A first guess from the header: "Email"/"E-mail" → email, a field's name or merge tag → that field. */
export function guessTargets(header: string[], fields: ContactField[]): ColumnTarget[] {
  let emailTaken = false;
  return header.map((h) => {
    const name = normalise(h);
    if (!emailTaken && (name === "email" || name === "e_mail" || name === "email_address")) {
      emailTaken = true;
      return { kind: "email" };
    }
    const field = fields.find((f) => normalise(f.merge_tag) === name || normalise(f.name) === name);
    return field ? { kind: "field", mergeTag: field.merge_tag } : { kind: "skip" };
  });
}

/**
 * Rows → the import API's contacts. Rows without an email are left out and counted; empty
 * cells set nothing (an import adds data, it does not clear it).
 */
export function buildContacts(
  rows: string[][],
  targets: ColumnTarget[],
  fields: ContactField[],
  listIds: number[],
): { contacts: ImportContact[]; withoutEmail: number } {
  const emailColumn = targets.findIndex((t) => t.kind === "email");
  const byTag = new Map(fields.map((f) => [f.merge_tag, f]));
  const contacts: ImportContact[] = [];
  let withoutEmail = 0;
  for (const row of rows) {
    const email = (row[emailColumn] ?? "").trim();
    if (emailColumn < 0 || email === "") {
      withoutEmail += 1;
      continue;
    }
    const values: Record<string, FieldValue> = {};
    targets.forEach((t, i) => {
      if (t.kind !== "field") return;
      const def = byTag.get(t.mergeTag);
      const value = def ? toFieldValue(def, row[i] ?? "") : undefined;
      if (value !== undefined) values[t.mergeTag] = value;
    });
    contacts.push({
      email,
      ...(Object.keys(values).length > 0 ? { fields: values } : {}),
      ...(listIds.length > 0 ? { list_ids_included: listIds } : {}),
    });
  }
  return { contacts, withoutEmail };
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
