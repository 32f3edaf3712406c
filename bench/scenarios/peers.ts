import { Queue } from "bullmq";
import { type BenchDb, openBenchDb } from "../lib/db.ts";
import type { Metric, Scenario } from "../lib/scenario.ts";
import { contactId, seedContacts } from "../lib/seed-contacts.ts";
import type { StepJob, StepName } from "../peers/step-store.ts";
import { startWorkerPool, type WorkerPool } from "../peers/worker-pool.ts";

const FULL = 100_000;
const QUICK = 10_000;
const CONNECTION = { host: "127.0.0.1", port: 6379, maxRetriesPerRequest: null };
/** Every Redis key the benchmark writes starts with this; cleanup obliterates only its own queues. */
const PREFIX = "mwbench";
/**
 * One worker process, as Mailwright runs one engine process in these scenarios (on SQLite a
 * second writer process would only wait on the file lock); 100 jobs in flight in it; on
 * PostgreSQL a pool of 10 connections, Mailwright's default.
 */
const PROCESSES = 1;
const CONCURRENCY = 100;
const POOL_SIZE = 10;
const ENQUEUE_CHUNK = 1_000;
const TIMEOUT_MS = 20 * 60_000;
const DELAYED_AUTOMATION = 1;
const CHAIN_AUTOMATION = 2;

type Job = { name: StepName; data: StepJob };

function queue(name: string): Queue<StepJob> {
  return new Queue<StepJob>(name, {
    connection: CONNECTION,
    prefix: PREFIX,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: false },
  });
}

async function enqueue(q: Queue<StepJob>, jobs: (i: number) => Job, from: number, to: number, delayUntil?: number): Promise<void> {
  for (let lo = from; lo < to; lo += ENQUEUE_CHUNK) {
    const batch = Array.from({ length: Math.min(ENQUEUE_CHUNK, to - lo) }, (_, k) => jobs(lo + k));
    // The delay is relative to the add: recomputed per chunk so every job falls due at delayUntil.
    const opts = delayUntil === undefined ? {} : { delay: delayUntil - Date.now() };
    await q.addBulk(batch.map((j) => ({ ...j, opts })));
  }
}

/** Seconds per job to enqueue, measured on a throwaway queue (its jobs far in the future). */
async function enqueueRate(tag: string): Promise<number> {
  const probe = queue(`${tag}-probe`);
  try {
    const t0 = performance.now();
    await enqueue(
      probe,
      (i) => ({ name: "u", data: { run: i, contact: contactId(i), chain: false } }),
      0,
      2 * ENQUEUE_CHUNK,
      Date.now() + 3_600_000,
    );
    return (performance.now() - t0) / 1000 / (2 * ENQUEUE_CHUNK);
  } finally {
    await probe.obliterate({ force: true });
    await probe.close();
  }
}

async function withPool<T>(
  opts: { queue: string; databaseUrl: string; listId: number; automationId: number },
  fn: (pool: WorkerPool) => Promise<T>,
): Promise<T> {
  const pool = await startWorkerPool({ ...opts, prefix: PREFIX, processes: PROCESSES, concurrency: CONCURRENCY, poolSize: POOL_SIZE });
  try {
    return await fn(pool);
  } finally {
    await pool.stop();
  }
}

async function countJournal(db: BenchDb, automationId: number): Promise<number> {
  return db.num("select count(*) from run_journal where account_id = 1 and automation_id = ?", [automationId]);
}

/**
 * Peer baselines: BullMQ 6 on the local Redis doing the work of the `timers` and `engine`
 * scenarios against the same kind of store, on this run's fresh database (Mailwright's
 * migrations made the schema; its server is stopped first, so nothing else touches it).
 * n contacts are seeded with SQL. Workers: bench/peers/bullmq-worker.ts, own processes.
 *
 * (a) Delayed: n jobs `u` (timers' update_field step, with its journal row), enqueued with
 *     delays so all fall due at one instant T, chosen after the enqueue rate was probed so
 *     that enqueueing ends before T (a run where it does not is void). Timed from T until
 *     the first and the last job completed.
 * (b) Chain: n jobs `u`, each of which enqueues `a` (add_to_lists), which enqueues `e` (send:
 *     a queued messages row): engine's 3 steps. Timed from the first add until the n-th
 *     `e` completed; steps/s = 3n / that.
 */
export const peersScenario: Scenario = {
  name: "peers",
  description: "peer baselines: BullMQ 6 (local Redis) — 100,000 delayed jobs due at once, and 100,000 contacts through a 3-job chain",
  async run({ server, quick, store }): Promise<Metric[]> {
    const n = quick ? QUICK : FULL;
    await server.stop();
    const db = openBenchDb(store);
    const tag = `${PREFIX}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const delayedQ = queue(`${tag}-delayed`);
    const chainQ = queue(`${tag}-chain`);
    try {
      await seedContacts(db, store.kind, 0, n);
      const now = Date.now();
      await db.all("insert into lists (account_id, name, created_at, updated_at) values (1, 'Peer', ?, ?)", [now, now]);
      const listId = await db.num("select max(id) from lists");
      const base = { databaseUrl: store.databaseUrl, listId };

      // (a) Delayed jobs due at one instant.
      const perJob = await enqueueRate(tag);
      const delayed = await withPool({ ...base, queue: delayedQ.name, automationId: DELAYED_AUTOMATION }, async (pool) => {
        const t0 = Date.now();
        const due = t0 + Math.ceil(2 * perJob * n * 1000) + 1000;
        await enqueue(delayedQ, (i) => ({ name: "u", data: { run: i, contact: contactId(i), chain: false } }), 0, n, due);
        const enqueued = Date.now();
        if (enqueued >= due) throw new Error(`enqueueing took ${(enqueued - t0) / 1000} s, past the due instant`);
        const { first, last } = await pool.completed("u", n, TIMEOUT_MS);
        return { first: (first - due) / 1000, last: (last - due) / 1000, enqueue: (enqueued - t0) / 1000 };
      });

      // (b) 3-job chains.
      const chain = await withPool({ ...base, queue: chainQ.name, automationId: CHAIN_AUTOMATION }, async (pool) => {
        const t0 = Date.now();
        await enqueue(chainQ, (i) => ({ name: "u", data: { run: n + i, contact: contactId(i), chain: true } }), 0, n);
        const enqueued = Date.now();
        const { last } = await pool.completed("e", n, TIMEOUT_MS);
        return { seconds: (last - t0) / 1000, enqueue: (enqueued - t0) / 1000 };
      });

      // A fast peer that lost work is no baseline.
      const journaled = [await countJournal(db, DELAYED_AUTOMATION), await countJournal(db, CHAIN_AUTOMATION)];
      const messages = await db.num("select count(*) from messages where account_id = 1 and automation_id = ?", [CHAIN_AUTOMATION]);
      if (journaled[0] !== n || journaled[1] !== 3 * n || messages !== n) {
        throw new Error(`expected ${n} and ${3 * n} journal rows and ${n} messages, got ${journaled.join(", ")} and ${messages}`);
      }
      return [
        { name: "BullMQ delayed: first done", unit: "s", value: delayed.first, better: "lower" },
        { name: "BullMQ delayed: last done", unit: "s", value: delayed.last, better: "lower" },
        { name: "BullMQ delayed: jobs/s", unit: "jobs/s", value: n / delayed.last, better: "higher" },
        { name: `BullMQ delayed: enqueue ${n} jobs (untimed)`, unit: "s", value: delayed.enqueue, better: "lower" },
        { name: "BullMQ chain: steps/s", unit: "steps/s", value: (3 * n) / chain.seconds, better: "higher" },
        { name: `BullMQ chain: ${n} × 3 steps, seconds`, unit: "s", value: chain.seconds, better: "lower" },
        { name: `BullMQ chain: enqueue ${n} first jobs (included)`, unit: "s", value: chain.enqueue, better: "lower" },
      ];
    } finally {
      for (const q of [delayedQ, chainQ]) {
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      await db.close();
    }
  },
};
