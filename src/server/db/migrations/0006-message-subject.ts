import type { AnyDb } from "./columns.ts";

/**
 * The subject a message was sent with, as rendered: `GET /api/messages` shows it without
 * re-rendering (the template may have changed since) and without the capture outbox
 * (absent when an SMTP relay is used).
 */
export function messageSubject() {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.alterTable("messages").addColumn("subject", "text").execute();
    },
  };
}
