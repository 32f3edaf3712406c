/** Shapes of Mailtrap's contacts API as the server answers them (see docs/api.md). */
import type { ContactView } from "../../../src/core/contacts/contact-view.ts";
import type { FieldDataType, FieldValue } from "../../../src/core/contacts/field-value.ts";

export type { FieldValue };
export type DataType = FieldDataType;
/** The server's own type (src/core), not a copy. */
export type Contact = ContactView;

export interface ContactPage {
  data: Contact[];
  next_cursor: string | null;
}

export interface ContactField {
  id: number;
  name: string;
  data_type: DataType;
  merge_tag: string;
}

export interface ContactList {
  id: number;
  name: string;
}

export interface ContactImport {
  id: number;
  status: "created" | "started" | "finished" | "failed";
  created_contacts_count?: number;
  updated_contacts_count?: number;
  contacts_over_limit_count?: number;
}

/** One entry of `GET /api/contacts/{id}/activity`; the detail keys depend on `kind`. */
export interface ActivityItem {
  at: string;
  kind: string;
  [detail: string]: unknown;
}

export interface ActivityPage {
  data: ActivityItem[];
  next_before: string | null;
}
