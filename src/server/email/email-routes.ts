import { Type } from "typebox";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { ApiApp } from "../http/api-app.ts";
import { findContact } from "../contacts/contacts-repo.ts";
import { listMessages, listOutbox } from "./email-repo.ts";
import { decodeIdCursor, encodeIdCursor } from "../http/cursor.ts";

const tags = ["Email"];
const Limit = Type.Optional(Type.String({ pattern: "^[0-9]{1,4}$" }));

/** Read-only views of what was sent: the capture outbox and the message rows. */
export function emailRoutes(app: ApiApp, db: Kysely<Database>): void {
  app.get(
    "/outbox/messages",
    { schema: { tags, querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 254 })), limit: Limit, cursor: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }) } },
    async (req) => {
      const limit = Math.min(Math.max(Number(req.query.limit ?? 50), 1), 1000);
      const beforeId = req.query.cursor === undefined ? undefined : decodeIdCursor(req.query.cursor);
      // One more than asked: whether it exists says whether there is a next page.
      const rows = await listOutbox(db, req.accountId, { ...(req.query.to !== undefined ? { to: req.query.to.trim().toLowerCase() } : {}), ...(beforeId !== undefined ? { beforeId } : {}), limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { data: page, next_cursor: rows.length > limit && last ? encodeIdCursor(last.id) : null };
    },
  );
  app.get(
    "/messages",
    {
      schema: {
        tags,
        querystring: Type.Object(
          { contact: Type.Optional(Type.String({ maxLength: 254 })), automation_id: Type.Optional(Type.String({ pattern: "^[0-9]{1,15}$" })), limit: Limit },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const limit = Math.min(Math.max(Number(req.query.limit ?? 100), 1), 1000);
      let contactId: string | undefined;
      if (req.query.contact !== undefined) {
        // By uuid or address, as the contacts endpoints accept; an unknown contact has no messages.
        const row = await findContact(db, req.accountId, req.query.contact);
        if (!row) return { data: [] };
        contactId = row.id;
      }
      const automationId = req.query.automation_id === undefined ? undefined : Number(req.query.automation_id);
      return { data: await listMessages(db, req.accountId, { ...(contactId !== undefined ? { contactId } : {}), ...(automationId !== undefined ? { automationId } : {}), limit }) };
    },
  );
}
