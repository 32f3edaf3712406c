import type { FastifyBaseLogger } from "fastify";
import type { Wakeup } from "../db/wakeup.ts";

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
            if (!(await round()) && running) await sleep();
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
