/**
 * A BullMQ 6 worker process for the `peers` scenario. Environment: PEER_QUEUE, PEER_PREFIX,
 * PEER_DATABASE_URL, PEER_LIST_ID, PEER_CONCURRENCY, PEER_POOL_SIZE, PEER_AUTOMATION_ID.
 * Each job is one step (job name u, a or e; see step-store.ts) applied in one transaction;
 * in the chain a job then enqueues the next step (u → a → e) before it completes. Over IPC
 * it sends `ready`, then every 50 ms while anything changed, per step: jobs completed and
 * the wall-clock times of the first and last completion.
 */
import { once } from "node:events";
import { Queue, Worker } from "bullmq";
import { openStepStore, type StepJob, type StepName } from "./step-store.ts";

const env = (k: string) => {
  const v = process.env[k];
  if (v === undefined) throw new Error(`${k} is not set`);
  return v;
};
const connection = { host: "127.0.0.1", port: 6379, maxRetriesPerRequest: null };
const queueName = env("PEER_QUEUE");
const prefix = env("PEER_PREFIX");
const automationId = Number(env("PEER_AUTOMATION_ID"));
const store = openStepStore(env("PEER_DATABASE_URL"), Number(env("PEER_LIST_ID")), Number(env("PEER_POOL_SIZE")));
const NEXT: Record<StepName, StepName | null> = { u: "a", a: "e", e: null };

const queue = new Queue<StepJob>(queueName, { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: false } });
const worker = new Worker<StepJob>(
  queueName,
  async (job) => {
    const step = job.name as StepName;
    await store.apply(step, job.data, automationId);
    const next = NEXT[step];
    if (job.data.chain && next) await queue.add(next, job.data);
  },
  { connection, prefix, concurrency: Number(env("PEER_CONCURRENCY")) },
);

const done: Record<StepName, { n: number; first: number; last: number }> = {
  u: { n: 0, first: 0, last: 0 },
  a: { n: 0, first: 0, last: 0 },
  e: { n: 0, first: 0, last: 0 },
};
let changed = false;
worker.on("completed", (job) => {
  const d = done[job.name as StepName];
  const now = Date.now();
  d.n++;
  if (d.first === 0) d.first = now;
  d.last = now;
  changed = true;
});
let failed = 0;
worker.on("failed", (_job, err) => {
  failed++;
  changed = true;
  process.stderr.write(`job failed: ${err.message}\n`);
});
const report = setInterval(() => {
  if (!changed) return;
  changed = false;
  process.send?.({ type: "progress", done, failed });
}, 50);

await worker.waitUntilReady();
process.send?.({ type: "ready" });

await once(process, "SIGTERM");
clearInterval(report);
await worker.close();
await queue.close();
await store.close();
// The IPC channel would keep the process alive.
process.disconnect?.();
