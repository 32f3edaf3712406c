import type { FastifyBaseLogger } from "fastify";
import type { Wakeup } from "../db/wakeup.ts";

/**
 * The least time between going to sleep and the next round. Measured with 50 clients
 * posting events (`npm run bench -- ingest`): without it every request woke the engine and
 * the sender for a round of their own, which held SQLite's one connection against the
 * requests (601 → 2,320 events/s, p99 1,045 → 41 ms with 10 ms; 25 ms gained nothing
 * more). It adds at most this much to the time from an event to its run's first step.
 */
const WAKE_GAP_MS = 10;

/**
 * The shape every background worker shares: do a round of work; when it found nothing,
 * sleep (until a due time or a wake-up); a failing round is logged and retried shortly.
 * `stop` lets the round in hand finish.
 */
export function workLoop(name: string, round: () => Promise<boolean>, sleep: () => Promise<void>, wakeup: Wakeup, log: FastifyBaseLogger) {
  let running = false;
  let loop: Promise<void> | null = null;
  return {
    start(): void {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          try {
            if (!(await round()) && running) {
              const slept = performance.now();
              await sleep();
              // Woken soon after the last round (an API write wakes every loop): let a few
              // more writes arrive, so a stream of requests costs a round per gap, not per request.
              const early = WAKE_GAP_MS - (performance.now() - slept);
              if (early > 0 && running) await new Promise((r) => setTimeout(r, early));
            }
          } catch (err) {
            log.error({ err }, `${name} round failed; retrying`);
            await wakeup.wait(500);
          }
        }
      })();
    },
    async stop(): Promise<void> {
      running = false;
      wakeup.signal();
      await loop;
      loop = null;
    },
  };
}
