/**
 * Where the time of a contact import goes, statement by statement (in-process):
 *   node --import tsx bench/tools/profile-import.ts [sqlite|postgres] [contacts=50000]
 * The import scenario's contacts (two text fields, an integer, one list) through
 * POST /api/contacts/imports, then the import job run to the end. Same switches as
 * profile-drain.ts.
 */
import type { StoreKind } from "../lib/stores.ts";
import { profiled } from "./profile-lib.ts";

const kind = (process.argv[2] ?? "sqlite") as StoreKind;
const n = Number(process.argv[3] ?? 50_000);
const p = await profiled(kind);
try {
  for (const [name, merge_tag, data_type] of [
    ["First name", "first_name", "text"],
    ["Company", "company", "text"],
    ["Age", "age", "integer"],
  ]) {
    await p.post("/api/contacts/fields", { name, data_type, merge_tag });
  }
  // Mailtrap's list answer is the list itself, not wrapped in `data`.
  const list = (await p.post("/api/contacts/lists", { name: "Bench" })) as unknown as { id: number };
  const contacts = Array.from({ length: n }, (_, i) => ({
    email: `contact${i}@bench.example.com`,
    fields: { first_name: `First${i}`, company: `Company ${i % 997}`, age: 20 + (i % 60) },
    list_ids_included: [list.id],
  }));
  const prof = await p.profile();
  const t0 = performance.now();
  await p.post("/api/contacts/imports", { contacts });
  const accepted = (performance.now() - t0) / 1000;
  await p.services.jobs.drain();
  await prof.stop(`${n} contacts imported (POST answered after ${accepted.toFixed(2)} s)`, (performance.now() - t0) / 1000, n, "contacts");
} finally {
  await p.close();
}
