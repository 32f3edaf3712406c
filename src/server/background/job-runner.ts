import type { FastifyBaseLogger } from "fastify";
import { isTransientDbError, type Store } from "../db/connect.ts";
import { claimJob } from "../db/claim.ts";
import type { Clock } from "../clock.ts";
import { Wakeup } from "../db/wakeup.ts";
import { workLoop } from "./work-loop.ts";

export const LEASE_MS = 5 * 60 * 1000;

export interface JobHandler {
  table: "imports" | "exports";
  /** Does the job; `leaseUntil` is the lease it was claimed with. */
  run(job: { id: number; account_id: number }, leaseUntil: number): Promise<void>;
  /** Records that the job broke for good. */
  fail(job: { id: number; account_id: number }, err: unknown): Promise<void>;
}

/**
 * Runs background jobs (imports, exports) one at a time from the database, so any process
 * may pick them up and a crashed one's job is taken over when its lease expires.
 */
export function jobRunner(
  store: Store,
  clock: Clock,
  handlers: JobHandler[],
  log: FastifyBaseLogger,
  opts: { idleMs?: number; maintenance?: () => Promise<void>; maintenanceEveryMs?: number } = {},
) {
  const idleMs = opts.idleMs ?? 1000;
  let lastMaintenance = 0;
  // Its own wake-up: an import or export queued in this process kicks the loop at once;
  // jobs queued by other processes are found within `idleMs`.
  const wakeup = new Wakeup();

  /** Housekeeping (expired idempotency keys), at most once per interval, between jobs. */
  async function maintain(): Promise<void> {
    const now = clock.now();
    if (!opts.maintenance || now - lastMaintenance < (opts.maintenanceEveryMs ?? 3_600_000)) return;
    lastMaintenance = now;
    await opts.maintenance();
  }

  async function runOnce(): Promise<boolean> {
    await maintain();
    let didWork = false;
    for (const h of handlers) {
      const now = clock.now();
      const job = await claimJob(store, h.table, now, now + LEASE_MS);
      if (!job) continue;
      didWork = true;
      try {
        await h.run(job, now + LEASE_MS);
      } catch (err) {
        // The database going away is no verdict on the job: its lease expires and it resumes.
        if (isTransientDbError(err)) throw err;
        log.error({ err, table: h.table, id: job.id }, "job failed");
        await h.fail(job, err).catch(() => undefined);
      }
    }
    return didWork;
  }

  const loop = workLoop("job runner", runOnce, () => wakeup.wait(idleMs), wakeup, log);

  return {
    /** Processes until no job is left (tests and benchmarks call this directly). */
    async drain(): Promise<void> {
      while (await runOnce());
    },
    kick(): void {
      wakeup.signal();
    },
    start: loop.start,
    /** Lets the job in hand finish its batch. */
    stop: loop.stop,
  };
}

export type JobRunner = ReturnType<typeof jobRunner>;
