import type { Database } from "../../src/server/db/schema.ts";
import type { Store } from "../../src/server/db/connect.ts";

/**
 * Every application table. Typed as a record over `keyof Database` so that a table added
 * to the schema fails the typecheck until it is listed here: a snapshot that silently
 * skipped a new table would let "the database is unchanged" pass while it changed.
 */
const TABLES: { readonly [K in keyof Database]: true } = {
  accounts: true,
  api_tokens: true,
  contacts: true,
  fields: true,
  lists: true,
  contact_lists: true,
  contact_events: true,
  trigger_events: true,
  suppressions: true,
  imports: true,
  import_chunks: true,
  exports: true,
  email_templates: true,
  idempotency_keys: true,
  automations: true,
  automation_versions: true,
  runs: true,
  run_journal: true,
  messages: true,
  entry_refusals: true,
  run_quota: true,
  test_clock: true,
  outbox_messages: true,
  message_events: true,
  automation_counters: true,
  users: true,
  sessions: true,
};

export type DbSnapshot = Record<string, string[]>;

/** JSON with keys sorted, so two equal rows print the same whatever order the driver gave. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString("base64"));
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

/**
 * A deterministic dump of every application table: each row as canonical JSON, rows sorted
 * (which orders them by all columns at once, the same on both dialects). Comparing two
 * snapshots with `toEqual` shows exactly which rows appeared, vanished or changed.
 */
export async function snapshotDb(store: Store): Promise<DbSnapshot> {
  const out: DbSnapshot = {};
  for (const table of (Object.keys(TABLES) as (keyof Database)[]).sort()) {
    const rows = await store.db.selectFrom(table).selectAll().execute();
    out[table] = rows.map(canonical).sort();
  }
  return out;
}

/** The rows of one account only: for requests that may legitimately write elsewhere. */
export function accountRows(snapshot: DbSnapshot, accountId: number): DbSnapshot {
  const out: DbSnapshot = {};
  for (const [table, rows] of Object.entries(snapshot)) {
    out[table] = rows.filter((r) => {
      const row = JSON.parse(r) as { account_id?: unknown; id?: unknown };
      // `accounts` rows carry their own id; every other table an account_id.
      return table === "accounts" ? row.id === accountId : row.account_id === accountId;
    });
  }
  return out;
}
