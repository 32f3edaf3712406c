/**
 * Where the time of a timers drain goes, statement by statement (in-process, no HTTP load):
 *   node --import tsx bench/tools/profile-drain.ts [postgres|sqlite] [runs=20000] [--keep]
 * n runs wait in a 1-hour delay before an update_field step (the timers scenario's
 * automation, seeded with SQL); the test clock moves past their wake time and the engine
 * drains them. Prints the drain time and, per statement shape, total ms, count and mean.
 * MAILWRIGHT_* variables configure the engine (MAILWRIGHT_ENGINE_BATCH, …); SHOW_SHAPE=<text>
 * also prints the duration of every statement whose shape contains that text, in order;
 * BENCH_PG_ADMIN_URL names another PostgreSQL server; --keep leaves the database behind.
 */
import { openBenchDb } from "../lib/db.ts";
import { seedWaitingRuns } from "../lib/seed-runs.ts";
import type { StoreKind } from "../lib/stores.ts";
import { profiled } from "./profile-lib.ts";

const kind = (process.argv[2] ?? "postgres") as StoreKind;
const n = Number(process.argv[3] ?? 20_000);
const p = await profiled(kind);
try {
  await p.post("/api/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" });
  const a = await p.post("/api/automations", {
    name: "Reminder",
    trigger: { type: "contact_created" },
    entry_step_id: "d",
    steps: [
      { id: "d", type: "delay", amount: 1, unit: "hours", next: "u" },
      { id: "u", type: "update_field", field: "age", value: 1, next: null },
    ],
  });
  await p.post(`/api/automations/${a.data.id}/activate`, {});
  await p.post("/api/contacts", { contact: { email: "real@bench.example.com" } });
  await p.services.engine.drain();
  const bench = openBenchDb(p.fresh);
  const run = (await bench.all<{ id: number; contact_id: string; entered_at: number }>("select id, contact_id, entered_at from runs"))[0]!;
  await seedWaitingRuns(bench, kind, 1, n - 1, { contactId: run.contact_id, runId: Number(run.id), enteredAt: Number(run.entered_at) });
  if (kind === "postgres") await bench.all("analyze");
  await bench.close();
  await p.clock.advance(3601);
  const prof = await p.profile();
  const t0 = performance.now();
  await p.services.engine.drain();
  await prof.stop(`${n} runs drained`, (performance.now() - t0) / 1000, n, "runs");
} finally {
  await p.close();
}
