import type { DialectName } from "../connect.ts";
import { type AnyDb, columns } from "./columns.ts";

export function init(dialect: DialectName) {
  const { big, serialId } = columns(dialect);

  return {
    async up(db: AnyDb): Promise<void> {
      await serialId(db.schema.createTable("accounts"))
        .addColumn("name", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .execute();

      await serialId(db.schema.createTable("api_tokens"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("name", "text", (c: any) => c.notNull())
        .addColumn("token_hash", "text", (c: any) => c.notNull().unique())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .addColumn("revoked_at", big)
        .execute();

      await db.schema
        .createTable("contacts")
        .addColumn("account_id", big, (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("fields", "text", (c) => c.notNull())
        .addColumn("created_at", big, (c) => c.notNull())
        .addColumn("updated_at", big, (c) => c.notNull())
        .addPrimaryKeyConstraint("contacts_pk", ["account_id", "id"])
        .addUniqueConstraint("contacts_email_uq", ["account_id", "email"])
        .execute();

      await serialId(db.schema.createTable("fields"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("name", "text", (c: any) => c.notNull())
        .addColumn("merge_tag", "text", (c: any) => c.notNull())
        .addColumn("data_type", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .addColumn("updated_at", big, (c: any) => c.notNull())
        .addUniqueConstraint("fields_merge_tag_uq", ["account_id", "merge_tag"])
        .addUniqueConstraint("fields_name_uq", ["account_id", "name"])
        .execute();

      await serialId(db.schema.createTable("lists"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("name", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .addColumn("updated_at", big, (c: any) => c.notNull())
        .addUniqueConstraint("lists_name_uq", ["account_id", "name"])
        .execute();

      await db.schema
        .createTable("contact_lists")
        .addColumn("account_id", big, (c) => c.notNull())
        .addColumn("contact_id", "text", (c) => c.notNull())
        .addColumn("list_id", big, (c) => c.notNull())
        .addColumn("created_at", big, (c) => c.notNull())
        .addPrimaryKeyConstraint("contact_lists_pk", ["account_id", "contact_id", "list_id"])
        .execute();
      await db.schema.createIndex("contact_lists_list_idx").on("contact_lists").columns(["account_id", "list_id"]).execute();

      await serialId(db.schema.createTable("contact_events"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("contact_id", "text", (c: any) => c.notNull())
        .addColumn("name", "text", (c: any) => c.notNull())
        .addColumn("params", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .execute();
      await db.schema
        .createIndex("contact_events_contact_idx")
        .on("contact_events")
        .columns(["account_id", "contact_id", "name", "created_at"])
        .execute();

      await serialId(db.schema.createTable("trigger_events"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("contact_id", "text", (c: any) => c.notNull())
        .addColumn("type", "text", (c: any) => c.notNull())
        .addColumn("payload", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .execute();
      await db.schema.createIndex("trigger_events_contact_idx").on("trigger_events").columns(["account_id", "contact_id"]).execute();

      await db.schema
        .createTable("suppressions")
        .addColumn("account_id", big, (c) => c.notNull())
        .addColumn("email_hash", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("created_at", big, (c) => c.notNull())
        .addPrimaryKeyConstraint("suppressions_pk", ["account_id", "email_hash"])
        .execute();

      await serialId(db.schema.createTable("imports"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("status", "text", (c: any) => c.notNull())
        .addColumn("payload", "text", (c: any) => c.notNull())
        .addColumn("processed", big, (c: any) => c.notNull().defaultTo(0))
        .addColumn("created_count", big, (c: any) => c.notNull().defaultTo(0))
        .addColumn("updated_count", big, (c: any) => c.notNull().defaultTo(0))
        .addColumn("over_limit_count", big, (c: any) => c.notNull().defaultTo(0))
        .addColumn("lease_until", big)
        .addColumn("created_at", big, (c: any) => c.notNull())
        .addColumn("updated_at", big, (c: any) => c.notNull())
        .execute();
      await db.schema.createIndex("imports_status_idx").on("imports").columns(["status", "id"]).execute();

      await serialId(db.schema.createTable("exports"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("status", "text", (c: any) => c.notNull())
        .addColumn("filters", "text", (c: any) => c.notNull())
        .addColumn("csv", "text")
        .addColumn("lease_until", big)
        .addColumn("created_at", big, (c: any) => c.notNull())
        .addColumn("updated_at", big, (c: any) => c.notNull())
        .execute();
      await db.schema.createIndex("exports_status_idx").on("exports").columns(["status", "id"]).execute();

      await serialId(db.schema.createTable("email_templates"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("uuid", "text", (c: any) => c.notNull().unique())
        .addColumn("name", "text", (c: any) => c.notNull())
        .addColumn("category", "text", (c: any) => c.notNull())
        .addColumn("subject", "text", (c: any) => c.notNull())
        .addColumn("body_html", "text", (c: any) => c.notNull())
        .addColumn("body_text", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .addColumn("updated_at", big, (c: any) => c.notNull())
        .execute();
      await db.schema.createIndex("email_templates_account_idx").on("email_templates").columns(["account_id", "id"]).execute();

      await db.schema
        .createTable("idempotency_keys")
        .addColumn("account_id", big, (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("status_code", "integer")
        .addColumn("response_body", "text")
        .addColumn("response_type", "text")
        .addColumn("locked_until", big, (c) => c.notNull())
        .addColumn("created_at", big, (c) => c.notNull())
        .addPrimaryKeyConstraint("idempotency_keys_pk", ["account_id", "key"])
        .execute();
    },
  };
}
