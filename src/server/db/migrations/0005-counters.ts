import type { Kysely } from "kysely";
import type { DialectName } from "../connect.ts";

// Migrations describe tables the typed schema may not know yet (or no longer), hence `any`.
type AnyDb = Kysely<any>;

/**
 * Report figures kept as counters, bumped in the same transactions as the facts they count,
 * so a report reads a few hundred rows however many runs an automation has seen.
 */
export function counters(dialect: DialectName) {
  const big = dialect === "postgres" ? "bigint" : "integer";
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable("automation_counters")
        .addColumn("account_id", big, (c) => c.notNull())
        .addColumn("automation_id", big, (c) => c.notNull())
        /** '' for figures of the whole automation. */
        .addColumn("step_id", "text", (c) => c.notNull())
        .addColumn("metric", "text", (c) => c.notNull())
        /** UTC day, YYYY-MM-DD: the daily series. */
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("n", big, (c) => c.notNull())
        .addPrimaryKeyConstraint("automation_counters_pk", ["account_id", "automation_id", "step_id", "metric", "day"])
        .execute();
    },
  };
}
