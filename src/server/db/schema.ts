import type { Generated } from "kysely";

/** Every table carries account_id; every timestamp is epoch milliseconds. */
export interface AccountsTable {
  id: Generated<number>;
  name: string;
  created_at: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  /** SHA-256 hex of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface ContactsTable {
  id: string;
  account_id: number;
  email: string;
  status: "subscribed" | "unsubscribed";
  /** JSON object keyed by field id, so renaming a merge tag rewrites nothing. */
  fields: string;
  created_at: number;
  updated_at: number;
}

export interface FieldsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  merge_tag: string;
  data_type: "text" | "integer" | "float" | "boolean" | "date";
  created_at: number;
  updated_at: number;
}

export interface ListsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface ContactListsTable {
  account_id: number;
  contact_id: string;
  list_id: number;
  created_at: number;
}

export interface ContactEventsTable {
  id: Generated<number>;
  account_id: number;
  contact_id: string;
  name: string;
  params: string;
  created_at: number;
}

export interface TriggerEventsTable {
  id: Generated<number>;
  account_id: number;
  contact_id: string;
  type: string;
  payload: string;
  created_at: number;
}

export interface SuppressionsTable {
  account_id: number;
  /** SHA-256 of the normalised address: erased people are never mailed again by accident. */
  email_hash: string;
  reason: string;
  created_at: number;
}

export interface ImportsTable {
  id: Generated<number>;
  account_id: number;
  status: "created" | "started" | "finished" | "failed";
  /** The validated contacts, JSON; emptied once finished. */
  payload: string;
  /** Contacts of the payload already applied (committed with them, so a crash resumes). */
  processed: number;
  created_count: number;
  updated_count: number;
  over_limit_count: number;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface ExportsTable {
  id: Generated<number>;
  account_id: number;
  status: "created" | "started" | "finished";
  filters: string;
  csv: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface EmailTemplatesTable {
  id: Generated<number>;
  account_id: number;
  uuid: string;
  name: string;
  category: string;
  subject: string;
  body_html: string;
  body_text: string;
  created_at: number;
  updated_at: number;
}

export interface IdempotencyKeysTable {
  account_id: number;
  key: string;
  fingerprint: string;
  status_code: number | null;
  response_body: string | null;
  response_type: string | null;
  locked_until: number;
  created_at: number;
}

export interface Database {
  accounts: AccountsTable;
  api_tokens: ApiTokensTable;
  contacts: ContactsTable;
  fields: FieldsTable;
  lists: ListsTable;
  contact_lists: ContactListsTable;
  contact_events: ContactEventsTable;
  trigger_events: TriggerEventsTable;
  suppressions: SuppressionsTable;
  imports: ImportsTable;
  exports: ExportsTable;
  email_templates: EmailTemplatesTable;
  idempotency_keys: IdempotencyKeysTable;
}
