import { readFile } from "node:fs/promises";
import { apiClient } from "../lib/api-client.ts";
import { openBenchDb, waitingCount, waitUntil } from "../lib/db.ts";
import { activeAutomation, awaitImports, submitImports } from "../lib/engine-fixtures.ts";
import type { Metric, Scenario, ScenarioContext } from "../lib/scenario.ts";
import { seedWaitingRuns } from "../lib/seed-runs.ts";

const FULL = [100_000, 1_000_000];
const QUICK = [10_000, 100_000];
const IDLE_MS = 8_000;
const SAMPLE_MS = 500;

async function rssKiB(pid: number, key: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
}

/** A fresh `mailwright worker` on the database, idle for IDLE_MS; answers its largest sampled RSS and its peak. */
async function idleWorker(ctx: ScenarioContext): Promise<{ rssMiB: number; hwmMiB: number }> {
  const worker = await ctx.spawn({ role: "worker" });
  let max = 0;
  for (let t = 0; t < IDLE_MS; t += SAMPLE_MS) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    max = Math.max(max, await rssKiB(worker.pid, "VmRSS"));
  }
  const hwm = await rssKiB(worker.pid, "VmHWM");
  await worker.stop();
  return { rssMiB: max / 1024, hwmMiB: hwm / 1024 };
}

/**
 * Runs waiting in a delay cost rows, not memory. Setup through the API: an active automation
 * [delay 30 days, update_field] and one real contact that entered it. The server is stopped;
 * then contacts, runs and journal rows are seeded with SQL as copies of that contact's rows
 * (same status, fields, context, step 'd', phase 'waiting', wake_at 30 days ahead), first to
 * 100,000 runs, then to 1,000,000. At each size: database bytes per run (its contact, run and
 * journal row with their indexes) and the RSS of a fresh `mailwright worker` idling on it.
 */
export const scaleScenario: Scenario = {
  name: "scale",
  description: "scale: worker RSS and bytes on disk per run with 100,000 and 1,000,000 runs waiting in a delay",
  async run(ctx): Promise<Metric[]> {
    const sizes = ctx.quick ? QUICK : FULL;
    const api = apiClient(ctx.server);
    const db = openBenchDb(ctx.store);
    try {
      await api.post("/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" });
      const a = await activeAutomation(api, "Later", { type: "contact_created" }, [
        { id: "d", type: "delay", amount: 30, unit: "days", next: "u" },
        { id: "u", type: "update_field", field: "age", value: 1, next: null },
      ]);
      await awaitImports(api, await submitImports(api, 1));
      await waitUntil(
        () => waitingCount(db, a),
        (w) => w === 1,
        50,
        60_000,
        "the real run waiting",
      );
      await ctx.server.stop();
      const [real] = await db.all<{ id: number | string; contact_id: string; entered_at: number | string }>(
        "select id, contact_id, entered_at from runs where automation_id = ?",
        [a],
      );
      const base = await db.sizeBytes();

      const metrics: Metric[] = [];
      let seeded = 0;
      for (const n of sizes) {
        const t0 = performance.now();
        await seedWaitingRuns(db, ctx.store.kind, seeded + 1, n, {
          contactId: real!.contact_id,
          runId: Number(real!.id),
          enteredAt: Number(real!.entered_at),
        });
        const seedS = (performance.now() - t0) / 1000;
        seeded = n;
        const bytes = (await db.sizeBytes()) - base;
        const { rssMiB, hwmMiB } = await idleWorker(ctx);
        const waiting = await waitingCount(db, a);
        // The worker must neither run nor lease any of them: they are 30 days from due.
        const leased = await db.num("select count(*) from runs where lease_token is not null");
        if (waiting !== n + 1 || leased !== 0)
          throw new Error(`after the worker: ${waiting} waiting, ${leased} leased; expected ${n + 1}, 0`);
        metrics.push(
          // Issue 7: under 150 MB (143 MiB) at every size (issue 3 asked 300 MB).
          { name: `${n} waiting: worker RSS max`, unit: "MiB", value: rssMiB, better: "lower", target: { op: "<", value: 143 } },
          { name: `${n} waiting: worker peak RSS (VmHWM)`, unit: "MiB", value: hwmMiB, better: "lower" },
          { name: `${n} waiting: bytes on disk per run`, unit: "B", value: bytes / n, better: "lower" },
          { name: `${n} waiting: seeding (SQL)`, unit: "s", value: seedS, better: "lower" },
        );
      }
      return metrics;
    } finally {
      await db.close();
    }
  },
};
