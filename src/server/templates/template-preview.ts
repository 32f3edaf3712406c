import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { errors } from "../errors.ts";
import type { FieldValue } from "../../core/contacts/field-value.ts";
import { listFields, type FieldRow } from "../fields/fields-repo.ts";
import { findContact } from "../contacts/contacts-repo.ts";
import { fieldsByTag } from "../contacts/field-input.ts";
import type { EmailParts } from "../email/render.ts";
import { type Renderer, RenderUnavailableError } from "../email/render-pool.ts";

export interface PreviewInput {
  /** A real contact (uuid or email) to render for. */
  contact_id?: string;
  /** Or values to render with; fields by merge tag. Absent: sample data. */
  contact?: { email?: string; fields?: Record<string, unknown> };
  event?: { name?: string; params?: Record<string, unknown> };
}

/** What `{{unsubscribe_url}}` renders as outside a real message (preview, test send). */
export const PREVIEW_UNSUBSCRIBE_URL = "https://example.invalid/unsubscribe";

const SAMPLE: Record<FieldRow["data_type"], FieldValue> = { text: "Sample", integer: 42, float: 4.2, boolean: true, date: "2026-01-31" };

/** Renders a template as a contact would receive it, or with sample data; writes nothing. */
export async function previewTemplate(
  db: Kysely<Database>,
  renderer: Renderer,
  accountId: number,
  parts: EmailParts,
  input: PreviewInput,
): Promise<EmailParts> {
  const defs = await listFields(db, accountId);
  let email = input.contact?.email ?? "jane.doe@example.com";
  let fields: Record<string, unknown>;
  if (input.contact_id) {
    const row = await findContact(db, accountId, input.contact_id);
    if (!row) throw errors.validation({ contact_id: ["does not exist"] });
    email = row.email;
    fields = fieldsByTag(defs, JSON.parse(row.fields) as Record<string, FieldValue>);
  } else {
    fields = input.contact?.fields ?? Object.fromEntries(defs.map((d) => [d.merge_tag, SAMPLE[d.data_type]]));
  }
  const event = { name: input.event?.name ?? "preview", params: input.event?.params ?? {} };
  try {
    return await renderer.render(parts, { ...fields, email, event, unsubscribe_url: PREVIEW_UNSUBSCRIBE_URL });
  } catch (err) {
    if (err instanceof RenderUnavailableError) throw err;
    throw errors.validation({ base: [`cannot render: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`] });
  }
}
