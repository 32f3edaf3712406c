import { apiClient } from "../lib/api-client.ts";
import { openBenchDb, waitUntil } from "../lib/db.ts";
import { activeAutomation, awaitImports, email, submitImports } from "../lib/engine-fixtures.ts";
import type { Metric, Scenario } from "../lib/scenario.ts";
import { percentile } from "../lib/stats.ts";

const FULL = 200;
const QUICK = 50;
// The first events warm the JIT and the connections; they are sent but not counted.
const WARMUP = 10;
const PAUSE_MS = 20;
const POLL_MS = 2;

/**
 * An idle engine, one custom event at a time: an active automation on custom_event "ping"
 * whose first step is update_field; each event goes to a different contact (a contact
 * enters an automation at most once per 24 h), sequentially, over one keep-alive
 * connection, with a 20 ms pause after each run's step is seen.
 *
 * Two measures per event, from just before sending POST /api/contacts/{email}/events:
 * - committed: until the benchmark process sees the step's run_journal row, polling the
 *   database every 2 ms (so up to ~2 ms of poll granularity is included);
 * - journal at: the row's `at` (the server's Date.now() when it began the step; no test
 *   clock here, so it is wall time on this host) minus the send time (Date.now()).
 */
export const latencyScenario: Scenario = {
  name: "latency",
  description: "latency when idle: 200 sequential custom events, send → first step journaled (p50/p99)",
  async run({ server, quick, store }): Promise<Metric[]> {
    const n = quick ? QUICK : FULL;
    const total = n + WARMUP;
    const api = apiClient(server);
    const db = openBenchDb(store);
    try {
      await api.post("/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" });
      const a = await activeAutomation(api, "On ping", { type: "custom_event", event: "ping" }, [
        { id: "u", type: "update_field", field: "age", value: 1, next: null },
      ]);
      await awaitImports(api, await submitImports(api, total));
      // Idle means idle: the import's contact_created events dispatched first.
      await waitUntil(
        () => db.num("select count(*) from trigger_events where dispatched_at is null"),
        (p) => p === 0,
        50,
        60_000,
        "trigger events dispatched",
      );
      const ids = new Map(
        (await db.all<{ id: string; email: string }>("select id, email from contacts where account_id = 1")).map((c) => [c.email, c.id]),
      );

      const committed: number[] = [];
      const journalAt: number[] = [];
      const answered: number[] = [];
      for (let i = 0; i < total; i++) {
        const contactId = ids.get(email(i));
        if (!contactId) throw new Error(`no contact ${email(i)}`);
        const sentAt = Date.now();
        const t0 = performance.now();
        await api.post(`/contacts/${encodeURIComponent(email(i))}/events`, { name: "ping" });
        const posted = performance.now() - t0;
        const rows = await waitUntil(
          () =>
            db.all<{ at: number | string }>(
              "select j.at from runs r join run_journal j on j.account_id = r.account_id and j.run_id = r.id and j.step_id = 'u' where r.account_id = 1 and r.contact_id = ? and r.automation_id = ?",
              [contactId, a],
            ),
          (r) => r.length > 0,
          POLL_MS,
          10_000,
          `the step of event ${i}`,
        );
        const seen = performance.now() - t0;
        if (i >= WARMUP) {
          committed.push(seen);
          journalAt.push(Number(rows[0]!.at) - sentAt);
          answered.push(posted);
        }
        await new Promise((r) => setTimeout(r, PAUSE_MS));
      }
      const failed = await db.num("select count(*) from runs where account_id = 1 and automation_id = ? and status <> 'completed'", [a]);
      if (failed !== 0) throw new Error(`${failed} runs did not complete`);
      const [c, j, p] = [committed, journalAt, answered].map((xs) => xs.sort((x, y) => x - y));
      return [
        { name: `${n} events: committed p50`, unit: "ms", value: percentile(c!, 50), better: "lower", target: { op: "<", value: 100 } },
        { name: `committed p99`, unit: "ms", value: percentile(c!, 99), better: "lower" },
        { name: `journal at p50`, unit: "ms", value: percentile(j!, 50), better: "lower" },
        { name: `journal at p99`, unit: "ms", value: percentile(j!, 99), better: "lower" },
        { name: `POST answered p50`, unit: "ms", value: percentile(p!, 50), better: "lower" },
      ];
    } finally {
      await db.close();
    }
  },
};
