import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { addClockOffset, dueWork, type DueWork, readClockOffset } from "./test-clock-repo.ts";

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
    this.offset = await readClockOffset(this.db);
  }

  /** Moves time forward for every process; answers the new now. */
  async advance(seconds: number): Promise<number> {
    this.offset = await addClockOffset(this.db, Math.round(seconds * 1000));
    return this.now();
  }

  /** The account's work due at `now` and not yet done (what an advance can wait for). */
  due(accountId: number, now: number): Promise<DueWork> {
    return dueWork(this.db, accountId, now);
  }
}
