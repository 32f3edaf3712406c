import type { Kysely } from "kysely";
import type { DialectName } from "../connect.ts";

// Migrations describe tables the typed schema may not know yet (or no longer), hence `any`.
export type AnyDb = Kysely<any>;

/** The column types that differ by dialect, shared by every migration. */
export function columns(dialect: DialectName) {
  const pg = dialect === "postgres";
  return {
    /** Epoch milliseconds and ids: 64-bit on PostgreSQL, SQLite's integer is 64-bit already. */
    big: pg ? ("bigint" as const) : ("integer" as const),
    /** Adds an auto-incrementing integer primary key `id`. */
    serialId: (t: any) =>
      pg
        ? t.addColumn("id", "bigserial", (c: any) => c.primaryKey())
        : t.addColumn("id", "integer", (c: any) => c.primaryKey().autoIncrement()),
  };
}
