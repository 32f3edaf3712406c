import path from "node:path";
import { fileURLToPath } from "node:url";
import { apiClient } from "../lib/api-client.ts";
import { openBenchDb } from "../lib/db.ts";
import { activeAutomation } from "../lib/engine-fixtures.ts";
import { eventLoad, type LoadResult } from "../lib/http-load.ts";
import type { Comparison, Metric, Scenario } from "../lib/scenario.ts";
import { seedContacts } from "../lib/seed-contacts.ts";
import { freshStore } from "../lib/stores.ts";
import { startTsxChild } from "../lib/tsx-child.ts";

const CEILING = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../ceiling/ingest-server.ts");
const FULL = { contacts: 100_000, warmup: 2, seconds: 10 };
const QUICK = { contacts: 10_000, warmup: 1, seconds: 3 };
const CONNECTIONS = 50;

const ceiling = (metric: string, target?: Comparison["target"]): Comparison[] => [
  { kind: "ceiling", metric, ...(target ? { target } : {}) },
];

/**
 * API ingestion: contact events (`POST /api/contacts/{email}/events`) from 50 keep-alive
 * connections over an account of 100,000 contacts (seeded with SQL, untimed), each event to
 * the next contact in turn, while an active automation listening to another event makes
 * the dispatcher read every one. In the same run, first, the ceiling: a bare Fastify app in its
 * own process whose one route inserts one row into a fresh store of the same kind
 * (bench/ceiling/ingest-server.ts), loaded the same way. Each side gets a warm-up (not
 * counted) and then a measured window. The load generator (autocannon) runs in the benchmark
 * process, on the same 2 cores as the server it loads, for both sides alike.
 */
export const ingestScenario: Scenario = {
  name: "ingest",
  description:
    "API ingestion: contact events from 50 keep-alive connections over 100,000 contacts, beside a bare Fastify + one-insert ceiling",
  async run({ server, quick, store }): Promise<Metric[]> {
    const size = quick ? QUICK : FULL;
    const db = openBenchDb(store);
    try {
      await seedContacts(db, store.kind, 0, size.contacts);
      const load = (baseUrl: string, token: string | null, seconds: number, next: { i: number }) =>
        eventLoad({ baseUrl, token, contacts: size.contacts, connections: CONNECTIONS, seconds }, next);

      // The ceiling first, while Mailwright's server idles: afterwards it would still be dispatching.
      const ceilingStore = await freshStore(store.kind, store.databaseUrl);
      let bare: LoadResult;
      try {
        const child = await startTsxChild(CEILING, { CEILING_DATABASE_URL: ceilingStore.databaseUrl });
        try {
          const url = `http://127.0.0.1:${String(child.ready.port)}`;
          await load(url, null, size.warmup, { i: 0 });
          bare = await load(url, null, size.seconds, { i: 0 });
        } finally {
          await child.stop();
        }
      } finally {
        await ceilingStore.dispose();
      }

      // An automation that listens to another event: every posted event is queued for the
      // dispatcher, which reads it and enrolls no one (a change no automation listens to by
      // type would be stored as history only, and cost less).
      await activeAutomation(apiClient(server), "Other event", { type: "custom_event", event: "trial_started" }, [
        { id: "u", type: "unsubscribe", next: null },
      ]);
      const next = { i: 0 };
      const warm = await load(server.baseUrl, server.token, size.warmup, next);
      const mw = await load(server.baseUrl, server.token, size.seconds, next);
      const pending = await db.num("select count(*) from trigger_events where dispatched_at is null");
      // A fast ingestion that lost events is not a result. Requests in flight when a window
      // closes are not counted by the load generator but still stored: up to one per connection.
      await new Promise((r) => setTimeout(r, 500));
      const stored = await db.num("select count(*) from contact_events where account_id = 1");
      const answered = warm.ok + mw.ok;
      if (stored < answered || stored > answered + 2 * CONNECTIONS)
        throw new Error(`${answered} events answered 201, but ${stored} stored`);

      return [
        {
          name: "events: requests/s",
          unit: "req/s",
          value: mw.requestsPerSec,
          better: "higher",
          target: { op: ">=", value: 10_000, stores: ["sqlite"] },
          compare: ceiling("ceiling: requests/s", { op: ">=", value: 0.4, stores: ["sqlite"] }),
        },
        { name: "events: p50", unit: "ms", value: mw.p50Ms, better: "lower", compare: ceiling("ceiling: p50") },
        {
          name: "events: p99",
          unit: "ms",
          value: mw.p99Ms,
          better: "lower",
          target: { op: "<", value: 10, stores: ["sqlite"] },
          compare: ceiling("ceiling: p99"),
        },
        { name: "events: trigger events not yet dispatched at the end", unit: "events", value: pending, better: "lower" },
        { name: "ceiling: requests/s", unit: "req/s", value: bare.requestsPerSec, better: "higher" },
        { name: "ceiling: p50", unit: "ms", value: bare.p50Ms, better: "lower" },
        { name: "ceiling: p99", unit: "ms", value: bare.p99Ms, better: "lower" },
      ];
    } finally {
      await db.close();
    }
  },
};
