import { readFile } from "node:fs/promises";
import { apiClient } from "../lib/api-client.ts";
import { type BenchDb, openBenchDb, waitingCount, waitUntil } from "../lib/db.ts";
import { activeAutomation, awaitImports, submitImports } from "../lib/engine-fixtures.ts";
import type { Metric, Scenario, ScenarioContext } from "../lib/scenario.ts";

const FULL = [100_000, 1_000_000];
const QUICK = [10_000, 100_000];
const CHUNK = 100_000;
const IDLE_MS = 8_000;
const SAMPLE_MS = 500;

/** Rows numbered [from, to] copied from the one real contact, its run and its journal row. */
function seedSql(dialect: "sqlite" | "postgres"): string[] {
  const series = dialect === "sqlite" ? "(with recursive s(i) as (select ? union all select i + 1 from s where i < ?) select i from s) as s" : "generate_series(?::int, ?::int) as s(i)";
  const num = dialect === "sqlite" ? "printf('%012d', s.i)" : "lpad(s.i::text, 12, '0')";
  // The real id is a 36-character UUID; seeded ids keep its first 23 characters and its length.
  const id = `substr(c.id, 1, 23) || '-' || ${num}`;
  return [
    `insert into contacts (account_id, id, email, status, fields, created_at, updated_at)
     select c.account_id, ${id}, 'seed' || s.i || '@bench.example.com', c.status, c.fields, c.created_at, c.updated_at
     from contacts c, ${series} where c.account_id = 1 and c.id = ?`,
    `insert into runs (account_id, automation_id, version, contact_id, status, step_id, phase, wake_at, lease_token, lease_until, trigger_event_id, context, entered_at, finished_at, exit_reason)
     select r.account_id, r.automation_id, r.version, ${id.replace("c.id", "r.contact_id")}, r.status, r.step_id, r.phase, r.wake_at, null, null, r.trigger_event_id + s.i, r.context, r.entered_at, null, null
     from runs r, ${series} where r.id = ?`,
    `insert into run_journal (account_id, run_id, step_id, automation_id, version, type, outcome, detail, at, completed_at)
     select j.account_id, r.id, j.step_id, j.automation_id, j.version, j.type, j.outcome, j.detail, j.at, j.completed_at
     from run_journal j, runs r where j.run_id = ? and r.automation_id = j.automation_id and r.id > ?`,
  ];
}

async function seed(db: BenchDb, dialect: "sqlite" | "postgres", from: number, to: number, contactId: string, runId: number): Promise<void> {
  const [contacts, runs, journal] = seedSql(dialect);
  for (let lo = from; lo <= to; lo += CHUNK) {
    const hi = Math.min(to, lo + CHUNK - 1);
    const maxRun = await db.num("select max(id) from runs");
    await db.all("begin");
    await db.all(contacts!, [lo, hi, contactId]);
    await db.all(runs!, [lo, hi, runId]);
    await db.all(journal!, [runId, maxRun]);
    await db.all("commit");
  }
}

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
      await waitUntil(() => waitingCount(db, a), (w) => w === 1, 50, 60_000, "the real run waiting");
      await ctx.server.stop();
      const [real] = await db.all<{ id: number | string; contact_id: string }>("select id, contact_id from runs where automation_id = ?", [a]);
      const base = await db.sizeBytes();

      const metrics: Metric[] = [];
      let seeded = 0;
      for (const n of sizes) {
        const t0 = performance.now();
        await seed(db, ctx.store.kind, seeded + 1, n, real!.contact_id, Number(real!.id));
        const seedS = (performance.now() - t0) / 1000;
        seeded = n;
        const bytes = (await db.sizeBytes()) - base;
        const { rssMiB, hwmMiB } = await idleWorker(ctx);
        const waiting = await waitingCount(db, a);
        // The worker must neither run nor lease any of them: they are 30 days from due.
        const leased = await db.num("select count(*) from runs where lease_token is not null");
        if (waiting !== n + 1 || leased !== 0) throw new Error(`after the worker: ${waiting} waiting, ${leased} leased; expected ${n + 1}, 0`);
        metrics.push(
          { name: `${n} waiting: worker RSS max`, unit: "MiB", value: rssMiB, better: "lower" },
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
