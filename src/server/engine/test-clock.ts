import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";

/**
 * Stripe-style test clock: real time plus an offset that only moves forward. The offset
 * lives in the database so every process (API and workers) shares it; each reads it
 * before a round of work (`refresh`), so `now()` itself stays synchronous.
 */
export class TestClock implements Clock {
  private offset = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly base: Clock = { now: () => Date.now() },
  ) {}

  now(): number {
    return this.base.now() + this.offset;
  }

  async refresh(): Promise<void> {
    const row = await this.db.selectFrom("test_clock").select("offset_ms").where("id", "=", 1).executeTakeFirst();
    this.offset = row?.offset_ms ?? 0;
  }

  /** Moves time forward for every process; answers the new now. */
  async advance(seconds: number): Promise<number> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("test_clock").select("offset_ms").where("id", "=", 1).executeTakeFirst();
      const next = (row?.offset_ms ?? 0) + Math.round(seconds * 1000);
      if (row) await trx.updateTable("test_clock").set({ offset_ms: next }).where("id", "=", 1).execute();
      else await trx.insertInto("test_clock").values({ id: 1, offset_ms: next }).execute();
      this.offset = next;
    });
    return this.now();
  }
}
