import type { FastifyBaseLogger } from "fastify";
import { isTransientDbError, type Store } from "../db/connect.ts";
import { claimJob } from "../db/claim.ts";
import type { Clock } from "../clock.ts";

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
  let running = false;
  let wake: (() => void) | null = null;
  let kicked = false;
  let loop: Promise<void> | null = null;

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

  return {
    /** Processes until no job is left (tests and benchmarks call this directly). */
    async drain(): Promise<void> {
      while (await runOnce());
    },
    kick(): void {
      kicked = true;
      wake?.();
    },
    start(): void {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          let worked = false;
          kicked = false;
          try {
            worked = await runOnce();
          } catch (err) {
            log.error({ err }, "job runner error");
          }
          if (!worked && running && !kicked) {
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, idleMs);
              wake = () => {
                clearTimeout(t);
                resolve();
              };
            });
            wake = null;
          }
        }
      })();
    },
    async stop(): Promise<void> {
      running = false;
      wake?.();
      await loop;
    },
  };
}

export type JobRunner = ReturnType<typeof jobRunner>;
