import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ChildMessage, startTsxChild, type TsxChild } from "../lib/tsx-child.ts";
import type { StepName } from "./step-store.ts";

const WORKER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "bullmq-worker.ts");

interface Done {
  n: number;
  first: number;
  last: number;
}

export interface PoolOptions {
  queue: string;
  prefix: string;
  databaseUrl: string;
  listId: number;
  automationId: number;
  processes: number;
  concurrency: number;
  poolSize: number;
}

/** BullMQ worker processes on one queue, their progress summed from their IPC reports. */
export interface WorkerPool {
  /** Resolves when `n` jobs of `step` completed: the first and last completion (epoch ms). */
  completed(step: StepName, n: number, timeoutMs: number): Promise<{ first: number; last: number }>;
  stop(): Promise<void>;
}

export async function startWorkerPool(o: PoolOptions): Promise<WorkerPool> {
  const latest = new Map<number, { done: Record<StepName, Done>; failed: number }>();
  const children: TsxChild[] = [];
  try {
    for (let i = 0; i < o.processes; i++) {
      const child = await startTsxChild(WORKER, {
        PEER_QUEUE: o.queue,
        PEER_PREFIX: o.prefix,
        PEER_DATABASE_URL: o.databaseUrl,
        PEER_LIST_ID: String(o.listId),
        PEER_AUTOMATION_ID: String(o.automationId),
        PEER_CONCURRENCY: String(o.concurrency),
        PEER_POOL_SIZE: String(o.poolSize),
      });
      child.onMessage((m: ChildMessage) => {
        if (m.type === "progress") latest.set(child.pid, m as unknown as { done: Record<StepName, Done>; failed: number });
      });
      children.push(child);
    }
  } catch (err) {
    for (const c of children) await c.stop().catch(() => undefined);
    throw err;
  }
  const sum = (step: StepName) => {
    let n = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    let failed = 0;
    for (const p of latest.values()) {
      const d = p.done[step];
      n += d.n;
      if (d.n > 0) first = Math.min(first, d.first);
      last = Math.max(last, d.last);
      failed += p.failed;
    }
    return { n, first, last, failed };
  };
  return {
    async completed(step, n, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const s = sum(step);
        // A failed job would be retried never (no attempts set): the run is void, not slow.
        if (s.failed > 0) throw new Error(`${s.failed} BullMQ jobs failed`);
        if (s.n >= n) return { first: s.first, last: s.last };
        if (performance.now() > deadline) throw new Error(`timed out: ${s.n} of ${n} "${step}" jobs completed`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      for (const c of children) await c.stop();
    },
  };
}
