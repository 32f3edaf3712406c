import type { FastifyBaseLogger } from "fastify";
import type { Store } from "../db/connect.ts";
import { nextWake } from "../db/runs-repo.ts";
import type { Clock } from "../clock.ts";
import type { Wakeup } from "../db/wakeup.ts";
import type { Executor } from "./executor.ts";
import { workLoop } from "../background/work-loop.ts";

/**
 * The engine loop: dispatch new trigger events, execute due runs, then sleep until the
 * earliest wake time or a wake-up (NOTIFY, or an in-process signal). No per-run timers:
 * a million waiting runs cost rows on disk, not memory.
 */
export function engineWorker(
  store: Store,
  clock: Clock & { refresh?: () => Promise<void> },
  dispatch: () => Promise<number>,
  exec: Executor,
  wakeup: Wakeup,
  log: FastifyBaseLogger,
  opts: { idleMs: number; concurrency?: number },
) {
  const lanes = Array.from({ length: Math.max(1, opts.concurrency ?? 1) });

  /** One round of work; answers whether anything was done. */
  async function round(): Promise<boolean> {
    await clock.refresh?.();
    // Several batches in flight (PostgreSQL, each on its own connection): while the database
    // works on one, this process prepares the next; SKIP LOCKED gives each its own runs, and
    // the dispatcher works beside them. SQLite's one connection takes them in turn.
    const [dispatched, ...stepped] =
      lanes.length > 1 ? await Promise.all([dispatch(), ...lanes.map(() => exec.runBatch())]) : [await dispatch(), await exec.runBatch()];
    return dispatched! > 0 || stepped.some((n) => n > 0);
  }

  async function sleep(): Promise<void> {
    const next = await nextWake(store);
    const now = clock.now();
    // A due run this worker could not claim is held by another: look again soon, not in a spin.
    const until = next === null ? opts.idleMs : next > now ? Math.min(next - now, opts.idleMs) : Math.min(200, opts.idleMs);
    await wakeup.wait(until);
  }

  const loop = workLoop("engine", round, sleep, wakeup, log);
  return {
    /** Works until nothing is pending now (tests and benchmarks). */
    async drain(): Promise<void> {
      while (await round());
    },
    start: loop.start,
    stop: loop.stop,
  };
}

export type EngineWorker = ReturnType<typeof engineWorker>;
