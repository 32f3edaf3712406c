import { apiClient } from "../lib/api-client.ts";
import { allCompleted, openBenchDb, waitingCount, waitUntil } from "../lib/db.ts";
import { activeAutomation, awaitImports, submitImports } from "../lib/engine-fixtures.ts";
import type { Comparison, Metric, Scenario, Target } from "../lib/scenario.ts";

const FULL = 100_000;
const QUICK = 10_000;
// Completion is seen by polling this often (see allCompleted); it adds at most this much to
// figures of tens of seconds.
const POLL_MS = 100;
const TIMEOUT_MS = 20 * 60_000;
// Issue 5's goal; BullMQ pushing the same contacts through a 3-job chain is the peer (scenario `peers`).
const TARGET: Target = { op: ">=", value: 10_000, stores: ["sqlite"] };
const PEER: Comparison[] = [{ kind: "peer", scenario: "peers", metric: "BullMQ chain: steps/s" }];

/**
 * Phase 1, end to end: an active 3-step automation on contact_created, then an import of n
 * new contacts; timed from submitting the import until every run completed (import job,
 * dispatch and the steps all share the server's one thread).
 *
 * Phase 2, executor only: the same contacts enter a second automation whose first step is a
 * delay (enrolled by re-importing them onto a list, untimed), and once all n wait in it the
 * test clock moves past the delay: timed from that advance until every run completed. No
 * import or trigger dispatch competes (the steps' own trigger events still are dispatched).
 */
export const engineScenario: Scenario = {
  name: "engine",
  description: "engine throughput: 100,000 contacts through [update_field, add_to_lists, send_email], end to end and executor only",
  env: { MAILWRIGHT_TEST_CLOCK: "1" },
  async run({ server, quick, store }): Promise<Metric[]> {
    const n = quick ? QUICK : FULL;
    const steps = 3 * n;
    const api = apiClient(server);
    const db = openBenchDb(store);
    try {
      await api.post("/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" });
      const lists: number[] = [];
      for (const name of ["Welcomed", "Enrolled", "Nurtured"]) lists.push((await api.post<{ id: number }>("/contacts/lists", { name })).id);
      const email = { subject: "Hi", text: "Hello" };
      const a = await activeAutomation(api, "Welcome", { type: "contact_created" }, [
        { id: "u", type: "update_field", field: "age", value: 1, next: "a" },
        { id: "a", type: "add_to_lists", list_ids: [lists[0]], next: "e" },
        { id: "e", type: "send_email", email, next: null },
      ]);

      // Phase 1. The bodies are built inside submitImports; that (~0.1 s) is counted, as a client pays it.
      const t0 = performance.now();
      const imports = await submitImports(api, n);
      const accepted = (performance.now() - t0) / 1000;
      await allCompleted(db, a, n, POLL_MS, TIMEOUT_MS);
      const endToEnd = (performance.now() - t0) / 1000;
      await awaitImports(api, imports);
      const journaled = await db.num("select count(*) from run_journal where account_id = 1 and automation_id = ?", [a]);
      if (journaled !== steps) throw new Error(`expected ${steps} journal rows, got ${journaled}`);

      // Phase 2 setup (untimed): the same contacts join list 2, which enrolls them in B.
      const b = await activeAutomation(api, "Nurture", { type: "contact_added_to_list", list_ids: [lists[1]] }, [
        { id: "d", type: "delay", amount: 1, unit: "minutes", next: "u" },
        { id: "u", type: "update_field", field: "age", value: 2, next: "a" },
        { id: "a", type: "add_to_lists", list_ids: [lists[2]], next: "e" },
        { id: "e", type: "send_email", email, next: null },
      ]);
      await awaitImports(api, await submitImports(api, n, { list_ids_included: [lists[1]] }));
      await waitUntil(
        () => waitingCount(db, b),
        (w) => w === n,
        250,
        TIMEOUT_MS,
        `${n} runs waiting in the delay`,
      );

      const t1 = performance.now();
      await api.post("/test-clock/advance", { seconds: 61 });
      await allCompleted(db, b, n, POLL_MS, TIMEOUT_MS);
      const executorOnly = (performance.now() - t1) / 1000;

      return [
        { name: `end to end ${n} contacts: seconds`, unit: "s", value: endToEnd, better: "lower" },
        { name: `end to end: steps/s`, unit: "steps/s", value: steps / endToEnd, better: "higher", target: TARGET, compare: PEER },
        { name: `end to end: imports accepted`, unit: "s", value: accepted, better: "lower" },
        { name: `executor only ${steps} steps: seconds`, unit: "s", value: executorOnly, better: "lower" },
        { name: `executor only: steps/s`, unit: "steps/s", value: steps / executorOnly, better: "higher", target: TARGET, compare: PEER },
      ];
    } finally {
      await db.close();
    }
  },
};
