import type { DialectName } from "../connect.ts";
import { type AnyDb, columns } from "./columns.ts";

/**
 * People who sign in to the web app, and their sessions. A session row holds only a hash
 * of the cookie's secret, so a copy of the database opens no session.
 */
export function usersSessions(dialect: DialectName) {
  const { big, serialId } = columns(dialect);
  return {
    async up(db: AnyDb): Promise<void> {
      await serialId(db.schema.createTable("users"))
        .addColumn("account_id", big, (c: any) => c.notNull())
        // Lower-cased: one user per address across the installation, since login names no account.
        .addColumn("email", "text", (c: any) => c.notNull().unique())
        .addColumn("password_hash", "text", (c: any) => c.notNull())
        .addColumn("created_at", big, (c: any) => c.notNull())
        .execute();
      await db.schema.createIndex("users_account_idx").on("users").columns(["account_id", "id"]).execute();

      await db.schema
        .createTable("sessions")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("account_id", big, (c) => c.notNull())
        .addColumn("user_id", big, (c) => c.notNull())
        .addColumn("csrf_token", "text", (c) => c.notNull())
        .addColumn("created_at", big, (c) => c.notNull())
        .addColumn("expires_at", big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sessions_user_idx").on("sessions").columns(["account_id", "user_id", "expires_at"]).execute();
    },
  };
}
