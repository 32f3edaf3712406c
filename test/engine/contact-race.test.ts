import { sql } from "kysely";
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

  /**
   * A step setting age = 30 on the contact, in a transaction: `beforeWrite` runs between its
   * read and its write, `whileHolding` after its write (the row locked) until the commit.
   */
  async function ageStep(
    accountId: number,
    contactId: string,
    hooks: { beforeWrite?: () => Promise<unknown>; whileHolding?: () => Promise<unknown> } = {},
  ) {
    const defs = await listFields(t.store.db, accountId);
    await t.store.db.transaction().execute(async (trx) => {
      const ledger = await loadLedger(trx, accountId, [contactId], defs);
      await ledger.apply(contactId, { type: "update_field", stepId: "x", field: "age", value: 30 });
      await hooks.beforeWrite?.();
      await persistContactWrites(trx, accountId, ledger.writes(), Date.now());
      await hooks.whileHolding?.();
    });
  }

  it("writes nothing of the step, keeps the other change, and a fresh read applies both", async () => {
    const { acc } = await seedAccount(t);
    const c = await contact(t, acc, "race@example.com", { fields: { plan: "free" } });
    const fields = async () => (await t.call(acc, "GET", `/api/contacts/${c.id}`)).json().data.fields;

    // Another writer (here the API, on its own connection) changes the contact meanwhile.
    const patch = () => t.call(acc, "PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, fields: { plan: "pro" } } });
    await expect(ageStep(acc.accountId, c.id, { beforeWrite: patch })).rejects.toBeInstanceOf(ContactChangedMeanwhile);
    expect(await fields()).toEqual({ plan: "pro" });

    // Computed again from a fresh read, the step lands on top of it.
    await ageStep(acc.accountId, c.id);
    expect(await fields()).toEqual({ plan: "pro", age: 30 });
  });

  /** Waits until some statement of this database waits on a row lock (the race is on). */
  async function untilBlocked(): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const { rows } = await sql<{
        n: string;
      }>`select count(*)::text as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
        t.store.db,
      );
      if (Number(rows[0]!.n) > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("no statement ever waited on the step's lock");
  }

  /** Starts `other` while a step holds the contact it wrote; commits once `other` waits on it; answers what `other` answered. */
  async function whileStepHolds<T>(accountId: number, contactId: string, other: () => Promise<T>): Promise<T> {
    let started: Promise<T> | undefined;
    await ageStep(accountId, contactId, {
      whileHolding: async () => {
        started = other();
        await untilBlocked();
      },
    });
    return started!;
  }

  it("an API write that starts while a step holds the contact waits, and keeps the step's change", async () => {
    const { acc } = await seedAccount(t);
    const c = await contact(t, acc, "api-race@example.com", { fields: { plan: "free" } });
    const patched = await whileStepHolds(acc.accountId, c.id, () =>
      t.call(acc, "PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, fields: { plan: "pro" } } }),
    );
    expect(patched.statusCode).toBe(200);
    expect((await t.call(acc, "GET", `/api/contacts/${c.id}`)).json().data.fields).toEqual({ plan: "pro", age: 30 });
  });

  it("an import chunk that read the contact before a step changed it applies again from a fresh read", async () => {
    const { acc } = await seedAccount(t);
    const c = await contact(t, acc, "import-race@example.com", { fields: { plan: "free" } });
    const created = (
      await t.call(acc, "POST", "/api/contacts/imports", { contacts: [{ email: c.email, fields: { plan: "pro" } }] })
    ).json() as { id: number };
    await whileStepHolds(acc.accountId, c.id, () => t.services.jobs.drain());
    expect((await t.call(acc, "GET", `/api/contacts/imports/${created.id}`)).json()).toMatchObject({
      status: "finished",
      updated_contacts_count: 1,
    });
    expect((await t.call(acc, "GET", `/api/contacts/${c.id}`)).json().data.fields).toEqual({ plan: "pro", age: 30 });
  });
});
