import type { ApiClient } from "../lib/api-client.ts";
import { apiClient } from "../lib/api-client.ts";
import type { Metric, Scenario } from "../lib/scenario.ts";

const FULL = 50_000;
const QUICK = 5_000;
// The brief's polling interval: coarse enough not to load the server, fine enough that it
// adds at most ~20 ms to a figure measured in seconds.
const POLL_MS = 20;
const TIMEOUT_MS = 10 * 60_000;

interface ImportView {
  id: number;
  status: "created" | "started" | "finished" | "failed";
  created_contacts_count?: number;
  updated_contacts_count?: number;
  contacts_over_limit_count?: number;
}

interface ImportContact {
  email: string;
  fields: Record<string, string | number>;
  list_ids_included: number[];
}

/** Two text fields, one integer field and one list per contact, as a typical CRM export has. */
function contacts(n: number, listId: number, round: number): ImportContact[] {
  return Array.from({ length: n }, (_, i) => ({
    email: `contact${i}@bench.example.com`,
    // The second round changes every value so each update really rewrites its row.
    fields: { first_name: `First${i}-r${round}`, company: `Company ${i % 997} r${round}`, age: 20 + ((i + round) % 60) },
    list_ids_included: [listId],
  }));
}

/** Time from sending the POST until a GET first reports the import finished. */
async function timedImport(api: ApiClient, body: { contacts: ImportContact[] }): Promise<{ seconds: number; acceptSeconds: number; view: ImportView }> {
  const t0 = performance.now();
  const created = await api.post<ImportView>("/contacts/imports", body);
  // Kept apart because the request (parse, validate, queue) and the job are limited by different things.
  const acceptSeconds = (performance.now() - t0) / 1000;
  for (;;) {
    const view = await api.get<ImportView>(`/contacts/imports/${created.id}`);
    if (view.status === "finished") return { seconds: (performance.now() - t0) / 1000, acceptSeconds, view };
    if (view.status === "failed") throw new Error(`import ${created.id} failed`);
    if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`import ${created.id} not finished after ${TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function expectCounts(label: string, view: ImportView, created: number, updated: number): void {
  const got = [view.created_contacts_count, view.updated_contacts_count, view.contacts_over_limit_count];
  // A fast import that did the wrong thing is not a result.
  if (got[0] !== created || got[1] !== updated || got[2] !== 0) {
    throw new Error(`${label}: expected created=${created} updated=${updated} over_limit=0, got ${JSON.stringify(view)}`);
  }
}

export const importScenario: Scenario = {
  name: "import",
  description: "bulk contact import via POST /api/contacts/imports: all new, then the same contacts again (all updates)",
  async run({ server, quick }): Promise<Metric[]> {
    const n = quick ? QUICK : FULL;
    const api = apiClient(server);
    await api.post("/contacts/fields", { name: "First name", data_type: "text", merge_tag: "first_name" });
    await api.post("/contacts/fields", { name: "Company", data_type: "text", merge_tag: "company" });
    await api.post("/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" });
    const list = await api.post<{ id: number }>("/contacts/lists", { name: "Bench" });

    // Bodies are built before the clock starts: generating them is the client's cost.
    const first = { contacts: contacts(n, list.id, 1) };
    const second = { contacts: contacts(n, list.id, 2) };

    const create = await timedImport(api, first);
    expectCounts("create", create.view, n, 0);
    const update = await timedImport(api, second);
    expectCounts("update", update.view, 0, n);

    return [
      { name: `create ${n}: seconds`, unit: "s", value: create.seconds, better: "lower" },
      { name: `create ${n}: contacts/s`, unit: "contacts/s", value: n / create.seconds, better: "higher" },
      { name: `create ${n}: POST answered`, unit: "s", value: create.acceptSeconds, better: "lower" },
      { name: `update ${n}: seconds`, unit: "s", value: update.seconds, better: "lower" },
      { name: `update ${n}: contacts/s`, unit: "contacts/s", value: n / update.seconds, better: "higher" },
      { name: `update ${n}: POST answered`, unit: "s", value: update.acceptSeconds, better: "lower" },
    ];
  },
};
