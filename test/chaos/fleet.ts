import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestAccount, TestApp } from "../helpers/test-app.ts";
import { createActive, seedAccount } from "../engine/engine-helpers.ts";

const BIN = path.resolve("bin/mailwright.js");

/** `mailwright worker` processes over one database, with their output kept for the test to read. */
export class Fleet {
  readonly workers: (ChildProcess | null)[] = [];
  readonly logs: string[] = [];
  private readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mw-fleet-"));

  constructor(
    private readonly databaseUrl: string,
    private readonly env: Record<string, string> = {},
  ) {}

  spawn(slot: number): ChildProcess {
    const child = spawn("node", [BIN, "worker"], {
      env: {
        ...process.env,
        MAILWRIGHT_DATABASE_URL: this.databaseUrl,
        MAILWRIGHT_DATA_DIR: this.dataDir,
        MAILWRIGHT_TEST_CLOCK: "1",
        MAILWRIGHT_LOG_LEVEL: "warn",
        MAILWRIGHT_ENGINE_LEASE_MS: "2000",
        ...this.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const log = (chunk: Buffer) => {
      this.logs[slot] = (this.logs[slot] ?? "") + chunk.toString();
    };
    child.stdout!.on("data", log);
    child.stderr!.on("data", log);
    this.workers[slot] = child;
    return child;
  }

  start(count: number): void {
    for (let i = 0; i < count; i++) this.spawn(i);
  }

  /** kill -9 one worker and start another in its place. */
  async killAndReplace(slot: number): Promise<void> {
    const w = this.workers[slot];
    if (w && w.exitCode === null) {
      const gone = new Promise((r) => w.once("exit", r));
      w.kill("SIGKILL");
      await gone;
    }
    this.spawn(slot);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (!w || w.exitCode !== null || w.signalCode !== null) return resolve();
            w.once("exit", () => resolve());
            w.kill("SIGTERM");
            setTimeout(() => w.kill("SIGKILL"), 10_000).unref();
          }),
      ),
    );
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The issue's workload: [update_field, add_to_lists, delay 1 h, send_email] on contact creation. */
export async function seedWorkload(t: TestApp, contacts: number): Promise<{ acc: TestAccount; automationId: number; listA: number }> {
  const { acc, listA } = await seedAccount(t);
  const automationId = await createActive(t, acc, {
    name: "load",
    trigger: { type: "contact_created" },
    entry_step_id: "u",
    steps: [
      { id: "u", type: "update_field", field: "age", value: 1, next: "a" },
      { id: "a", type: "add_to_lists", list_ids: [listA], next: "d" },
      { id: "d", type: "delay", amount: 1, unit: "hours", next: "e" },
      { id: "e", type: "send_email", email: { subject: "Hi", text: "Hello" }, next: null },
    ],
  });
  for (let i = 0; i < contacts; i += 50_000) {
    const batch = Array.from({ length: Math.min(50_000, contacts - i) }, (_, k) => ({ email: `load${i + k}@example.com` }));
    const r = await t.call(acc, "POST", "/api/contacts/imports", { contacts: batch });
    if (r.statusCode !== 201) throw new Error(`import failed: ${r.body}`);
  }
  await t.services.jobs.drain();
  return { acc, automationId, listA };
}

async function count(t: TestApp, query: () => Promise<{ n: number | string }>): Promise<number> {
  return Number((await query()).n);
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  onTick?: () => Promise<void>,
  explain?: () => Promise<string>,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await onTick?.();
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${explain ? `\n${await explain().catch((e) => String(e))}` : ""}`);
}

/** What the runs and workers were doing, for a failure message. */
export async function diagnose(t: TestApp, fleet: Fleet): Promise<string> {
  const byStatus = await t.store.db
    .selectFrom("runs")
    .select(["status", "step_id", "phase", "exit_reason", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["status", "step_id", "phase", "exit_reason"])
    .execute();
  const tails = fleet.logs.map((l, i) => `worker ${i}: ${(l ?? "").slice(-1500)}`);
  return [JSON.stringify(byStatus), ...tails].join("\n");
}

/** Runs at the delay (waiting), and runs completed, for the workload's automation. */
export async function progress(t: TestApp, automationId: number) {
  const db = t.store.db;
  const waiting = await count(t, () =>
    db
      .selectFrom("runs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("automation_id", "=", automationId)
      .where("status", "=", "active")
      .where("step_id", "=", "d")
      .where("phase", "=", "waiting")
      .executeTakeFirstOrThrow(),
  );
  const completed = await count(t, () =>
    db
      .selectFrom("runs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("automation_id", "=", automationId)
      .where("status", "=", "completed")
      .executeTakeFirstOrThrow(),
  );
  return { waiting, completed };
}

/** Every total the workload must end with: nothing lost, nothing doubled. */
export async function totals(t: TestApp, automationId: number, listA: number) {
  const db = t.store.db;
  const n = (q: { executeTakeFirstOrThrow(): Promise<{ n: number | string }> }) => q.executeTakeFirstOrThrow().then((r) => Number(r.n));
  const byStep = await db
    .selectFrom("run_journal")
    .select(["step_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("automation_id", "=", automationId)
    .groupBy("step_id")
    .orderBy("step_id")
    .execute();
  return {
    runs: await n(
      db
        .selectFrom("runs")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("automation_id", "=", automationId),
    ),
    completed: await n(
      db
        .selectFrom("runs")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("automation_id", "=", automationId)
        .where("status", "=", "completed"),
    ),
    journal: Object.fromEntries(byStep.map((r) => [r.step_id, Number(r.n)])),
    messages: await n(
      db
        .selectFrom("messages")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("automation_id", "=", automationId),
    ),
    inList: await n(
      db
        .selectFrom("contact_lists")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("list_id", "=", listA),
    ),
    fieldEvents: await n(
      db
        .selectFrom("trigger_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("type", "=", "contact_field_updated"),
    ),
    listEvents: await n(
      db
        .selectFrom("trigger_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("type", "=", "contact_added_to_list"),
    ),
  };
}

export function expectedTotals(n: number) {
  return { runs: n, completed: n, journal: { a: n, d: n, e: n, u: n }, messages: n, inList: n, fieldEvents: n, listEvents: n };
}
