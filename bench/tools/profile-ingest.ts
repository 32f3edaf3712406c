/**
 * Where the time of API ingestion goes, statement by statement: the ingest scenario's load
 * (autocannon, 50 keep-alive connections posting contact events) against Mailwright
 * listening in this process, with the engine and sender running as in `mailwright start`.
 *   node --import tsx bench/tools/profile-ingest.ts [sqlite|postgres] [contacts=10000] [seconds=5]
 * Same environment switches as profile-drain.ts.
 */
import { openBenchDb } from "../lib/db.ts";
import { activeAutomation } from "../lib/engine-fixtures.ts";
import { apiClient } from "../lib/api-client.ts";
import { eventLoad } from "../lib/http-load.ts";
import { seedContacts } from "../lib/seed-contacts.ts";
import type { StoreKind } from "../lib/stores.ts";
import { profiled } from "./profile-lib.ts";

const kind = (process.argv[2] ?? "sqlite") as StoreKind;
const contacts = Number(process.argv[3] ?? 10_000);
const seconds = Number(process.argv[4] ?? 5);
const p = await profiled(kind);
try {
  const bench = openBenchDb(p.fresh);
  await seedContacts(bench, kind, 0, contacts);
  await bench.close();
  const address = await p.app.listen({ port: 0, host: "127.0.0.1" });
  await activeAutomation(apiClient({ baseUrl: address, token: p.token }), "Other event", { type: "custom_event", event: "trial_started" }, [
    { id: "u", type: "unsubscribe", next: null },
  ]);
  p.services.engine.start();
  p.services.sender.start();
  const next = { i: 0 };
  await eventLoad({ baseUrl: address, token: p.token, contacts, connections: 50, seconds: 1 }, next);
  const prof = await p.profile();
  const r = await eventLoad({ baseUrl: address, token: p.token, contacts, connections: 50, seconds }, next);
  await prof.stop(`${r.ok} events (p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms)`, r.seconds, r.ok, "events");
} finally {
  await p.close();
}
