import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContactChangedMeanwhile, persistContactWrites } from "../../src/server/contacts/contacts-repo.ts";
import { loadLedger } from "../../src/server/engine/step-context.ts";
import { listFields } from "../../src/server/fields/fields-repo.ts";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { contact, seedAccount } from "./engine-helpers.ts";

// PostgreSQL runs several step batches at once (and several workers): a step's contact
// change is computed from a read, and must not overwrite a change committed after it.
describe.runIf(DIALECTS.includes("postgres"))("a contact changed between a step's read and its write, on postgres", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp("postgres");
  });
  afterAll(() => t.close());

  it("writes nothing of the step, keeps the other change, and a fresh read applies both", async () => {
    const { acc } = await seedAccount(t);
    const c = await contact(t, acc, "race@example.com", { fields: { plan: "free" } });
    const defs = await listFields(t.store.db, acc.accountId);
    const step = async (meanwhile?: () => Promise<unknown>) =>
      t.store.db.transaction().execute(async (trx) => {
        const ledger = await loadLedger(trx, acc.accountId, [c.id], defs);
        await ledger.apply(c.id, { type: "update_field", stepId: "x", field: "age", value: 30 });
        await meanwhile?.();
        await persistContactWrites(trx, acc.accountId, ledger.writes(), Date.now());
      });
    const fields = async () => (await t.call(acc, "GET", `/api/contacts/${c.id}`)).json().data.fields;

    // Another writer (here the API, on its own connection) changes the contact meanwhile.
    await expect(step(() => t.call(acc, "PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, fields: { plan: "pro" } } }))).rejects.toBeInstanceOf(ContactChangedMeanwhile);
    expect(await fields()).toEqual({ plan: "pro" });

    // Computed again from a fresh read, the step lands on top of it.
    await step();
    expect(await fields()).toEqual({ plan: "pro", age: 30 });
  });
});
