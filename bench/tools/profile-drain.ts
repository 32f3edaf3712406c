/**
 * Where the time of a timers drain goes, statement by statement (in-process, no HTTP load):
 *   node --import tsx bench/tools/profile-drain.ts [postgres|sqlite] [runs=20000]
 * n runs wait in a 1-hour delay before an update_field step (the timers scenario's
 * automation, seeded with SQL); the test clock moves past their wake time and the engine
 * drains them. Prints the drain time and, per statement shape, total ms, count and mean.
 * MAILWRIGHT_* variables configure the engine (MAILWRIGHT_ENGINE_BATCH, …); SHOW_SHAPE=<text>
 * also prints the duration of every statement whose shape contains that text, in order;
 * BENCH_PG_ADMIN_URL names another PostgreSQL server; --keep leaves the database behind.
 */
import pino from "pino";
import { loadConfig } from "../../src/server/config.ts";
import { openStore } from "../../src/server/db/connect.ts";
import { migrate } from "../../src/server/db/migrate.ts";
import { TestClock } from "../../src/server/engine/test-clock.ts";
import { buildApp } from "../../src/server/http/build-app.ts";
import { createServices } from "../../src/server/services.ts";
import { openBenchDb } from "../lib/db.ts";
import { seedWaitingRuns } from "../lib/seed-runs.ts";
import { DEFAULT_PG_ADMIN_URL, freshStore, type StoreKind } from "../lib/stores.ts";

const kind = (process.argv[2] ?? "postgres") as StoreKind;
const n = Number(process.argv[3] ?? 20_000);
// --keep: leave the database behind (its URL is printed) to EXPLAIN statements against it.
const keep = process.argv.includes("--keep");
const fresh = await freshStore(kind, process.env["BENCH_PG_ADMIN_URL"] ?? DEFAULT_PG_ADMIN_URL);
let profiling = false;
const series: number[] = [];
const byShape = new Map<string, { ms: number; count: number }>();
const shape = (text: string) => text.replace(/\s+/g, " ").replace(/(\$\d+|\?)(, (\$\d+|\?))+/g, "…").slice(0, 110);
const store = openStore(fresh.databaseUrl, {
  onQuery: (text, ms) => {
    if (!profiling) return;
    const k = shape(text);
    const s = byShape.get(k) ?? { ms: 0, count: 0 };
    s.ms += ms;
    s.count++;
    byShape.set(k, s);
    if (process.env["SHOW_SHAPE"] && k.includes(process.env["SHOW_SHAPE"])) series.push(Math.round(ms));
  },
});
try {
  await migrate(store);
  const config = loadConfig({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("MAILWRIGHT_"))), MAILWRIGHT_DATABASE_URL: fresh.databaseUrl, MAILWRIGHT_TEST_CLOCK: "1", MAILWRIGHT_RATE_LIMIT: "0", MAILWRIGHT_DATA_DIR: fresh.dataDir, MAILWRIGHT_SECRET: "profile-secret-profile-secret-0123456789" });
  const clock = new TestClock(store.db);
  const services = createServices(store, config, clock, pino({ level: "silent" }), { testClock: clock });
  const app = await buildApp({ config, store, services });
  const { id } = await services.accounts.create("profile");
  const headers = { authorization: `Bearer ${await services.accounts.createToken(id, "profile")}`, "content-type": "application/json" };
  const post = async (url: string, body: unknown) => {
    const res = await app.inject({ method: "POST", url, headers, payload: JSON.stringify(body) });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { data: { id: number } };
  };
  await post("/api/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" });
  const a = await post("/api/automations", {
    name: "Reminder",
    trigger: { type: "contact_created" },
    entry_step_id: "d",
    steps: [
      { id: "d", type: "delay", amount: 1, unit: "hours", next: "u" },
      { id: "u", type: "update_field", field: "age", value: 1, next: null },
    ],
  });
  await post(`/api/automations/${a.data.id}/activate`, {});
  const c = await post("/api/contacts", { contact: { email: "real@bench.example.com" } });
  await services.engine.drain();
  const bench = openBenchDb(fresh);
  const run = (await bench.all<{ id: number; contact_id: string; entered_at: number }>("select id, contact_id, entered_at from runs"))[0]!;
  await seedWaitingRuns(bench, kind, 1, n - 1, { contactId: run.contact_id, runId: Number(run.id), enteredAt: Number(run.entered_at) });
  if (kind === "postgres") await bench.all("analyze");
  await bench.close();
  void c;
  await clock.advance(3601);
  profiling = true;
  const t0 = performance.now();
  await services.engine.drain();
  const total = performance.now() - t0;
  profiling = false;
  const inSql = [...byShape.values()].reduce((s, v) => s + v.ms, 0);
  console.log(`${kind}: ${n} runs drained in ${(total / 1000).toFixed(2)} s (${Math.round(n / (total / 1000))} runs/s); ${(inSql / 1000).toFixed(2)} s waiting on statements`);
  for (const [k, v] of [...byShape.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, 30)) {
    console.log(`${v.ms.toFixed(0).padStart(7)} ms ${String(v.count).padStart(6)}× ${(v.ms / v.count).toFixed(2).padStart(6)} ms  ${k}`);
  }
  if (series.length > 0) console.log(`${process.env["SHOW_SHAPE"]}: ${series.join(" ")}`);
  await services.engine.stop();
  await services.wakeup.close();
  await app.close();
} finally {
  await store.close();
  if (keep) console.log(`kept ${fresh.databaseUrl}`);
  else await fresh.dispose();
}
