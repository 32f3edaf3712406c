import { sql } from "kysely";
import type { DialectName } from "../connect.ts";
import { type AnyDb, columns } from "./columns.ts";

/** Automations, their immutable versions, runs, the step journal, messages and entry refusals. */
export function engine(dialect: DialectName) {
  const { big, serialId } = columns(dialect);

  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.alterTable("trigger_events").addColumn("dispatched_at", big).execute();
      await db.schema
        .createIndex("trigger_events_pending_idx")
        .on("trigger_events")
        .column("id")
        .where(sql<boolean>`dispatched_at is null`)
        .execute();
      await db.schema.alterTable("accounts").addColumn("monthly_run_quota", big).execute();

      await serialId(db.schema.createTable("automations"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("name", "text", (c: any) => c.notNull())
        .addColumn("status", "text", (c: any) => c.notNull())
        .addColumn("version", "integer", (c: any) => c.notNull())
        /** Whether any version was ever live: until then edits change the draft in place. */
        .addColumn("published", "integer", (c: any) => c.notNull().defaultTo(0))
        .addColumn("trigger_type", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .addColumn("updated_at", big, (c: any) => c.notNull())
        .addColumn("deleted_at", big)
        .execute();
      await db.schema.createIndex("automations_trigger_idx").on("automations").columns(["account_id", "status", "trigger_type"]).execute();

      await db.schema
        .createTable("automation_versions")
        .addColumn("account_id", big, (c) => c.notNull())
        .addColumn("automation_id", big, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("definition", "text", (c) => c.notNull())
        .addColumn("created_at", big, (c) => c.notNull())
        .addPrimaryKeyConstraint("automation_versions_pk", ["account_id", "automation_id", "version"])
        .execute();

      await serialId(db.schema.createTable("runs"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("automation_id", big, (c: any) => c.notNull())
        .addColumn("version", "integer", (c: any) => c.notNull())
        .addColumn("contact_id", "text", (c: any) => c.notNull())
        .addColumn("status", "text", (c: any) => c.notNull())
        .addColumn("step_id", "text")
        .addColumn("phase", "text", (c: any) => c.notNull())
        .addColumn("wake_at", big)
        .addColumn("lease_token", "text")
        .addColumn("lease_until", big)
        .addColumn("trigger_event_id", big)
        .addColumn("context", "text", (c: any) => c.notNull())
        .addColumn("entered_at", big, (c: any) => c.notNull())
        .addColumn("finished_at", big)
        .addColumn("exit_reason", "text")
        .execute();
      await db.schema
        .createIndex("runs_due_idx")
        .on("runs")
        .column("wake_at")
        .where(sql<boolean>`status = 'active'`)
        .execute();
      await db.schema.createIndex("runs_automation_idx").on("runs").columns(["account_id", "automation_id", "status"]).execute();
      await db.schema
        .createIndex("runs_contact_idx")
        .on("runs")
        .columns(["account_id", "contact_id", "automation_id", "entered_at"])
        .execute();

      await db.schema
        .createTable("run_journal")
        .addColumn("account_id", big, (c) => c.notNull())
        .addColumn("run_id", big, (c) => c.notNull())
        .addColumn("step_id", "text", (c) => c.notNull())
        .addColumn("automation_id", big, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("detail", "text")
        .addColumn("at", big, (c) => c.notNull())
        .addColumn("completed_at", big)
        // Exactly once per step: a second attempt to journal the same step fails the commit.
        .addPrimaryKeyConstraint("run_journal_pk", ["account_id", "run_id", "step_id"])
        .execute();
      await db.schema
        .createIndex("run_journal_automation_idx")
        .on("run_journal")
        .columns(["account_id", "automation_id", "step_id"])
        .execute();

      await serialId(db.schema.createTable("messages"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("run_id", big, (c: any) => c.notNull())
        .addColumn("step_id", "text", (c: any) => c.notNull())
        .addColumn("automation_id", big, (c: any) => c.notNull())
        .addColumn("contact_id", "text", (c: any) => c.notNull())
        .addColumn("to_email", "text", (c: any) => c.notNull())
        .addColumn("status", "text", (c: any) => c.notNull())
        .addColumn("email", "text", (c: any) => c.notNull())
        .addColumn("context", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .addColumn("sent_at", big)
        .addColumn("opened_at", big)
        .addColumn("clicked_at", big)
        .addColumn("error", "text")
        .addUniqueConstraint("messages_run_step_uq", ["account_id", "run_id", "step_id"])
        .execute();
      await db.schema.createIndex("messages_status_idx").on("messages").columns(["status", "id"]).execute();
      await db.schema.createIndex("messages_contact_idx").on("messages").columns(["account_id", "contact_id"]).execute();

      await serialId(db.schema.createTable("entry_refusals"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        .addColumn("automation_id", big, (c: any) => c.notNull())
        .addColumn("contact_id", "text", (c: any) => c.notNull())
        .addColumn("reason", "text", (c: any) => c.notNull())
        .addColumn("trigger_event_id", big, (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .execute();
      await db.schema.createIndex("entry_refusals_automation_idx").on("entry_refusals").columns(["account_id", "automation_id"]).execute();

      await db.schema
        .createTable("run_quota")
        .addColumn("account_id", big, (c) => c.notNull())
        .addColumn("month", "text", (c) => c.notNull())
        .addColumn("count", big, (c) => c.notNull())
        .addPrimaryKeyConstraint("run_quota_pk", ["account_id", "month"])
        .execute();

      await db.schema
        .createTable("test_clock")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("offset_ms", big, (c) => c.notNull())
        .execute();
    },
  };
}
