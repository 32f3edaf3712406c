import type { Store } from "../db/connect.ts";
import { findContact } from "../contacts/contacts-repo.ts";
import { decodeIdCursor, encodeIdCursor } from "../http/cursor.ts";
import { listMessages, listOutbox } from "./email-repo.ts";

/** Read-only views of what was sent: the capture outbox (cursor-paged) and the message rows. */
export function outboxService(store: Store) {
  const { db } = store;
  return {
    async outbox(accountId: number, q: { to?: string; cursor?: string; limit: number }) {
      const beforeId = q.cursor === undefined ? undefined : decodeIdCursor(q.cursor);
      // One more than asked: whether it exists says whether there is a next page.
      const rows = await listOutbox(db, accountId, {
        ...(q.to !== undefined ? { to: q.to.trim().toLowerCase() } : {}),
        ...(beforeId !== undefined ? { beforeId } : {}),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return { data: page, next_cursor: rows.length > q.limit && last ? encodeIdCursor(last.id) : null };
    },

    async messages(accountId: number, q: { contact?: string; automationId?: number; limit: number }) {
      let contactId: string | undefined;
      if (q.contact !== undefined) {
        // By uuid or address, as the contacts endpoints accept; an unknown contact has no messages.
        const row = await findContact(db, accountId, q.contact);
        if (!row) return { data: [] };
        contactId = row.id;
      }
      return {
        data: await listMessages(db, accountId, {
          ...(contactId !== undefined ? { contactId } : {}),
          ...(q.automationId !== undefined ? { automationId: q.automationId } : {}),
          limit: q.limit,
        }),
      };
    },
  };
}

export type OutboxService = ReturnType<typeof outboxService>;
