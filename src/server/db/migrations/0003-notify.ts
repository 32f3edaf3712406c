import { type Kysely, sql } from "kysely";
import type { DialectName } from "../connect.ts";

export const WAKE_CHANNEL = "mailwright_wake";

/**
 * PostgreSQL wakes sleeping workers itself: a new trigger event or a moved test clock
 * sends NOTIFY on commit, whichever process wrote it. SQLite has one engine process,
 * woken in memory instead.
 */
export function notify(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== "postgres") return;
      await sql`create or replace function mailwright_wake() returns trigger language plpgsql as $$
        begin perform pg_notify(${sql.lit(WAKE_CHANNEL)}, ''); return null; end $$`.execute(db);
      await sql`create trigger trigger_events_wake after insert on trigger_events for each statement execute function mailwright_wake()`.execute(
        db,
      );
      await sql`create trigger test_clock_wake after insert or update on test_clock for each statement execute function mailwright_wake()`.execute(
        db,
      );
    },
  };
}
