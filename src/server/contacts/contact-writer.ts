import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { isConflict } from "../db/connect.ts";
import {
  type AppliedChange,
  applyContactChange,
  type ContactChange,
  type ContactState,
  type ContactStatus,
  foldChanges,
} from "../../core/contacts/contact-change.ts";
import { ContactChangedMeanwhile, type ContactWrite, MAX_CONTACT_RACES, persistContactWrites, readStates } from "./contacts-repo.ts";

type Db = Kysely<Database>;

/**
 * The one way to change contacts (docs/adr/0010-one-contact-writer.md). A batch reads the
 * contacts it may change once, with their row versions; each change is applied (the pure
 * `applyContactChange`) to the contact as the previous change in the batch left it, and
 * every contact changed is written once, with all its trigger events, only over the
 * version it was read at. A contact another transaction changed or deleted meanwhile
 * makes the write throw ContactChangedMeanwhile: the whole transaction is computed again
 * from a fresh read (`withContactRaces`). SQLite has one writer and no row versions:
 * nothing can change between the read and the write.
 */
export interface ContactBatch {
  /** The contact as this batch sees it now, by id or by the email it was read or created with. */
  current(key: string): ContactState | undefined;
  /** When a contact read by the batch was created and last updated (before this batch). */
  stamps(key: string): { createdAt: number; updatedAt: number } | undefined;
  /** Applies a change to a contact of the batch (undefined: no such contact); repeated changes to one contact fold into one write. */
  change(key: string, change: ContactChange): AppliedChange | undefined;
  /** A new contact, written by `persist`; later changes in the batch fold into it. */
  create(contact: { id: string; email: string; status: ContactStatus }, change: ContactChange): AppliedChange;
  /** The writes the batch's changes add up to (for a caller that persists several batches at once). */
  writes(): ContactWrite[];
  /** Writes every contact the batch changed, with its trigger events, in the caller's transaction. */
  persist(now: number): Promise<void>;
}

interface Entry {
  /** As read (null: created in this batch). */
  before: ContactState | null;
  /** Every change of the batch to this contact, folded into one (null: none yet). */
  applied: AppliedChange | null;
  version: string | undefined;
  stamps: { createdAt: number; updatedAt: number } | undefined;
}

/**
 * Reads the account's contacts with these ids and (normalised) emails into a batch.
 * `mergeTags` (field id → merge tag) name fields in `contact_field_updated` events; a
 * batch that changes no field needs none.
 */
export async function readContacts(
  db: Db,
  accountId: number,
  keys: { ids?: readonly string[]; emails?: readonly string[] },
  mergeTags: ReadonlyMap<number, string> = new Map(),
): Promise<ContactBatch> {
  const read = await readStates(db, accountId, { ids: [...new Set(keys.ids ?? [])], emails: [...new Set(keys.emails ?? [])] });
  const byId = new Map<string, Entry>();
  const idByEmail = new Map<string, string>();
  for (const { state, version, createdAt, updatedAt } of read) {
    if (byId.has(state.id)) continue;
    byId.set(state.id, { before: state, applied: null, version, stamps: { createdAt, updatedAt } });
    idByEmail.set(state.email, state.id);
  }
  const entry = (key: string) => byId.get(key) ?? byId.get(idByEmail.get(key) ?? "");
  const touched = (a: AppliedChange | null): a is AppliedChange => a !== null && (a.rowChanged || a.events.length > 0);

  const batch: ContactBatch = {
    current(key) {
      const e = entry(key);
      return e ? (e.applied?.after ?? e.before ?? undefined) : undefined;
    },
    stamps: (key) => entry(key)?.stamps,

    change(key, change) {
      const e = entry(key);
      const current = e?.applied?.after ?? e?.before;
      if (!e || !current) return undefined;
      const applied = applyContactChange(current, null, change, mergeTags);
      e.applied = e.applied ? foldChanges(e.before, e.applied, applied) : applied;
      return applied;
    },

    create(contact, change) {
      const applied = applyContactChange(null, contact, change, mergeTags);
      byId.set(contact.id, { before: null, applied, version: undefined, stamps: undefined });
      idByEmail.set(contact.email, contact.id);
      return applied;
    },

    writes: () =>
      [...byId.values()].flatMap((e) =>
        touched(e.applied)
          ? [{ isNew: e.before === null, ...(e.version !== undefined ? { readVersion: e.version } : {}), applied: e.applied }]
          : [],
      ),

    async persist(now) {
      await persistContactWrites(db, accountId, batch.writes(), now);
    },
  };
  return batch;
}

/**
 * Runs `work` (a whole transaction) again when it lost a race for a contact: another
 * transaction changed a contact it read (ContactChangedMeanwhile) or PostgreSQL chose it
 * as a deadlock or serialization victim. Nothing of a lost attempt committed; each attempt
 * reads afresh. Up to MAX_CONTACT_RACES attempts, then the last error is thrown.
 */
export async function withContactRaces<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= MAX_CONTACT_RACES || !(err instanceof ContactChangedMeanwhile || isConflict(err))) throw err;
    }
  }
}

export { ContactChangedMeanwhile, MAX_CONTACT_RACES };
