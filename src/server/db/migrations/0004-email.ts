import { sql } from "kysely";
import type { DialectName } from "../connect.ts";
import { type AnyDb, columns } from "./columns.ts";

/** Sending (attempts, leases, retries), the capture outbox, and tracking events. */
export function email(dialect: DialectName) {
  const { big, serialId } = columns(dialect);

  return {
    async up(db: AnyDb): Promise<void> {
      for (const [name, type] of [
        ["attempts", "integer"],
        ["next_attempt_at", big],
        ["lease_token", "text"],
        ["lease_until", big],
        ["message_id", "text"],
        ["smtp_response", "text"],
        ["first_attempt_at", big],
      ] as const) {
        await db.schema.alterTable("messages").addColumn(name, type).execute();
      }
      await db.schema
        .createIndex("messages_due_idx")
        .on("messages")
        .column("next_attempt_at")
        .where(sql<boolean>`status = 'queued'`)
        .execute();

      await serialId(db.schema.createTable("outbox_messages"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("message_row_id", big)
        .addColumn("message_id", "text", (c: any) => c.notNull())
        .addColumn("from_addr", "text", (c: any) => c.notNull())
        .addColumn("to_addr", "text", (c: any) => c.notNull())
        .addColumn("subject", "text", (c: any) => c.notNull())
        .addColumn("html", "text", (c: any) => c.notNull())
        .addColumn("text", "text", (c: any) => c.notNull())
        .addColumn("headers", "text", (c: any) => c.notNull())
        .addColumn("raw", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .execute();
      await db.schema.createIndex("outbox_account_idx").on("outbox_messages").columns(["account_id", "id"]).execute();

      await serialId(db.schema.createTable("message_events"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("message_row_id", big, (c: any) => c.notNull())
        .addColumn("kind", "text", (c: any) => c.notNull())
        .addColumn("url", "text")
        .addColumn("user_agent", "text")
        .addColumn("bot", "integer", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .execute();
      await db.schema
        .createIndex("message_events_message_idx")
        .on("message_events")
        .columns(["account_id", "message_row_id", "kind"])
        .execute();
    },
  };
}
