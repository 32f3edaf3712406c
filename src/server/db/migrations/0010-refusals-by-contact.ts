import type { AnyDb } from "./columns.ts";

/**
 * A contact's timeline shows the entries it was refused ("already went through this
 * automation"), read newest first per contact: without this index that read scans every
 * refusal of the account.
 */
export function refusalsByContact() {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createIndex("entry_refusals_contact_idx")
        .on("entry_refusals")
        .columns(["account_id", "contact_id", "created_at"])
        .execute();
    },
  };
}
