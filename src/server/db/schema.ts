import type { Generated } from "kysely";

/** Every table carries account_id; every timestamp is epoch milliseconds. */
export interface AccountsTable {
  id: Generated<number>;
  name: string;
  created_at: number;
  /** Runs that may start per calendar month (UTC); null = the configured default. */
  monthly_run_quota: number | null;
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
  /** Set when the dispatcher has turned the event into runs (or refusals). */
  dispatched_at: number | null;
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
  /** Contacts already applied (committed with them, so a crash resumes): chunks before it are gone. */
  processed: number;
  created_count: number;
  updated_count: number;
  over_limit_count: number;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

/** An import's validated contacts, in order, a chunk per row, each row deleted as it is applied. */
export interface ImportChunksTable {
  import_id: number;
  /** Order of the chunks within the import, from 0. */
  seq: number;
  /** JSON array of the contacts as the job applies them (field values keyed by field id). */
  contacts: string;
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

export type AutomationStatus = "draft" | "active" | "paused" | "disabled";

export interface AutomationsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  status: AutomationStatus;
  version: number;
  published: number;
  trigger_type: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface AutomationVersionsTable {
  account_id: number;
  automation_id: number;
  version: number;
  definition: string;
  created_at: number;
}

export type RunStatus = "active" | "completed" | "exited" | "failed";

export interface RunsTable {
  id: Generated<number>;
  account_id: number;
  automation_id: number;
  version: number;
  contact_id: string;
  status: RunStatus;
  step_id: string | null;
  phase: "ready" | "waiting";
  wake_at: number | null;
  lease_token: string | null;
  lease_until: number | null;
  trigger_event_id: number | null;
  /** The trigger event (name, params) conditions and templates may read, JSON. */
  context: string;
  entered_at: number;
  finished_at: number | null;
  exit_reason: string | null;
}

export interface RunJournalTable {
  account_id: number;
  run_id: number;
  step_id: string;
  automation_id: number;
  version: number;
  type: string;
  outcome: string;
  detail: string | null;
  at: number;
  completed_at: number | null;
}

export interface MessagesTable {
  id: Generated<number>;
  account_id: number;
  run_id: number;
  step_id: string;
  automation_id: number;
  contact_id: string;
  to_email: string;
  status: "queued" | "sent" | "failed" | "skipped";
  /** The step's email config at the time (template id or inline content), JSON. */
  email: string;
  /** Trigger context for rendering, JSON. */
  context: string;
  created_at: number;
  sent_at: number | null;
  opened_at: number | null;
  clicked_at: number | null;
  error: string | null;
  /** Delivery attempts made so far. */
  attempts: number | null;
  /** When the sender may (re)try; null once sent, failed or skipped. */
  next_attempt_at: number | null;
  lease_token: string | null;
  lease_until: number | null;
  /** RFC 5322 Message-ID, derived from (run, step): stable across retries. */
  message_id: string | null;
  /** The SMTP server's last reply (stored on failure). */
  smtp_response: string | null;
  first_attempt_at: number | null;
  /** The subject as rendered when sent (migration 0006); null until then. */
  subject: string | null;
}

/** Every email the capture transport "sent": nothing leaves the machine. */
export interface OutboxMessagesTable {
  id: Generated<number>;
  account_id: number;
  message_row_id: number | null;
  message_id: string;
  from_addr: string;
  to_addr: string;
  subject: string;
  html: string;
  text: string;
  /** JSON object, lower-case header name → value. */
  headers: string;
  raw: string;
  created_at: number;
}

/** An open, click or unsubscribe hit on a message's public links. */
export interface MessageEventsTable {
  id: Generated<number>;
  account_id: number;
  message_row_id: number;
  kind: "open" | "click" | "unsubscribe";
  url: string | null;
  /** Stored as text, never rendered as HTML. */
  user_agent: string | null;
  /** 1 when the hit looks like a prefetcher or link scanner: kept out of unique rates. */
  bot: number;
  created_at: number;
}

export interface EntryRefusalsTable {
  id: Generated<number>;
  account_id: number;
  automation_id: number;
  contact_id: string;
  reason: string;
  trigger_event_id: number;
  created_at: number;
}

export interface RunQuotaTable {
  account_id: number;
  month: string;
  count: number;
}

export interface TestClockTable {
  id: number;
  offset_ms: number;
}

/** Report figures per automation, step, metric and UTC day (migration 0005). */
export interface AutomationCountersTable {
  account_id: number;
  automation_id: number;
  step_id: string;
  metric: string;
  day: string;
  n: number;
}

export interface UsersTable {
  id: Generated<number>;
  account_id: number;
  /** Lower-cased; unique across the installation (login names no account). */
  email: string;
  /** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash. */
  password_hash: string;
  created_at: number;
}

export interface SessionsTable {
  /** SHA-256 hex of the cookie's secret; the secret itself is never stored. */
  token_hash: string;
  account_id: number;
  user_id: number;
  /** Sent back as `X-CSRF-Token` on every cookie-authenticated write. */
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface Database {
  automation_counters: AutomationCountersTable;
  outbox_messages: OutboxMessagesTable;
  message_events: MessageEventsTable;
  automations: AutomationsTable;
  automation_versions: AutomationVersionsTable;
  runs: RunsTable;
  run_journal: RunJournalTable;
  messages: MessagesTable;
  entry_refusals: EntryRefusalsTable;
  run_quota: RunQuotaTable;
  test_clock: TestClockTable;
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
  import_chunks: ImportChunksTable;
  exports: ExportsTable;
  email_templates: EmailTemplatesTable;
  idempotency_keys: IdempotencyKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
}
