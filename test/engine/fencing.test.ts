import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatcher } from "../../src/server/engine/dispatcher.ts";
import { executor } from "../../src/server/engine/executor.ts";
import type { ClaimedRun } from "../../src/server/db/runs-repo.ts";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { contact, createActive, seedAccount } from "./engine-helpers.ts";

const LEASE = 1000;

/** Everything a step can change, as comparable data. */
async function footprint(t: TestApp) {
  const db = t.store.db;
  return {
    runs: await db.selectFrom("runs").select(["id", "status", "step_id", "phase", "lease_token"]).orderBy("id").execute(),
    journal: await db.selectFrom("run_journal").select(["run_id", "step_id", "outcome"]).orderBy("run_id").orderBy("step_id").execute(),
    contacts: await db.selectFrom("contacts").select(["id", "fields", "updated_at"]).orderBy("id").execute(),
    lists: await db.selectFrom("contact_lists").select(["contact_id", "list_id"]).orderBy("contact_id").execute(),
    triggers: await db.selectFrom("trigger_events").select(["id", "type"]).orderBy("id").execute(),
  };
}

function gate() {
  let open!: () => void;
  let reached!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const arrived = new Promise<void>((r) => (reached = r));
  return { open, arrived, wait: async () => (reached(), opened) };
}

describe.each(DIALECTS)("fencing on %s", (dialect) => {
  let t: TestApp;
  // Both "workers" read one manual clock: leases expire by moving it, never by sleeping.
  let now = Date.parse("2026-12-01T00:00:00Z");
  const clock = { now: () => now };
  beforeAll(async () => {
    t = await testApp(dialect, {}, { clock });
  });
  afterAll(() => t.close());

  async function workload() {
    const { acc, listA } = await seedAccount(t);
    await createActive(t, acc, {
      name: "fenced",
      trigger: { type: "contact_created" },
      entry_step_id: "u",
      steps: [
        { id: "u", type: "update_field", field: "age", value: 5, next: "a" },
        { id: "a", type: "add_to_lists", list_ids: [listA], next: null },
      ],
    });
    await contact(t, acc, `fence-${Math.random()}@example.com`);
    const dispatch = dispatcher(t.store, clock, { defaultMonthlyQuota: 0 });
    while ((await dispatch()) > 0);
    return { acc, listA };
  }

  it("a worker stalled after claiming, past its lease, changes nothing when it wakes", async () => {
    await workload();
    const stall = gate();
    const warnings: string[] = [];
    const log = pino({ level: "warn" }, { write: (m: string) => void warnings.push(m) });
    const stalled = executor(t.store, clock, log, { batchSize: 10, leaseMs: LEASE, afterClaim: () => stall.wait() });
    const healthy = executor(t.store, clock, log, { batchSize: 10, leaseMs: LEASE });
    const first = stalled.runBatch();
    await stall.arrived;
    now += LEASE + 1;
    expect(await healthy.runBatch()).toBeGreaterThan(0);
    const afterTakeover = await footprint(t);
    stall.open();
    await first;
    expect(await footprint(t)).toEqual(afterTakeover);
    expect(warnings.join("")).toContain("lease lost");
    const journal = afterTakeover.journal.filter((j) => afterTakeover.runs.some((r) => r.id === j.run_id));
    expect(new Set(journal.map((j) => `${j.run_id}:${j.step_id}`)).size).toBe(journal.length);
  });

  it.runIf(dialect === "postgres")("a worker stalled mid-step, past its lease, rolls back; the step happens once", async () => {
    const before = await footprint(t);
    await workload();
    const stall = gate();
    const stalled = executor(t.store, clock, pino({ level: "silent" }), {
      batchSize: 10,
      leaseMs: LEASE,
      midStep: (runs: ClaimedRun[]) => (runs.length ? stall.wait() : Promise.resolve()),
    });
    const healthy = executor(t.store, clock, pino({ level: "silent" }), { batchSize: 10, leaseMs: LEASE });
    const first = stalled.runBatch();
    await stall.arrived; // its step's effects are written, uncommitted
    now += LEASE + 1;
    const second = healthy.runBatch(); // takes the run over; waits on the stalled transaction's row locks
    await new Promise((r) => setTimeout(r, 200));
    stall.open();
    await first;
    await second;
    const after = await footprint(t);
    const newRuns = after.runs.filter((r) => !before.runs.some((b) => b.id === r.id));
    expect(newRuns.map((r) => r.status)).toEqual(["completed"]);
    const steps = after.journal.filter((j) => j.run_id === newRuns[0]!.id).map((j) => j.step_id);
    expect(steps).toEqual(["a", "u"]);
    const newTriggers = after.triggers.filter((e) => !before.triggers.some((b) => b.id === e.id)).map((e) => e.type);
    expect(newTriggers).toEqual(["contact_created", "contact_field_updated", "contact_added_to_list"]);
  });
});
