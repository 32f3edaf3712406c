import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "../../src/server/db/migrate.ts";
import { systemClock } from "../../src/server/clock.ts";
import { importsService } from "../../src/server/imports/imports-service.ts";
import { jobRunner } from "../../src/server/background/job-runner.ts";
import { DIALECTS, freshStore, type TestStore } from "../helpers/with-database.ts";

// Imports stored their contacts in one JSON column until migration 0009 split them into
// chunk rows. An upgrade in the middle of an import must neither lose nor repeat contacts.
describe.each(DIALECTS)("upgrading with imports in flight on %s", (dialect) => {
  let ts: TestStore;
  afterEach(() => ts.dispose());

  it("an import half applied before the upgrade resumes where it stopped; a queued one runs whole", async () => {
    ts = await freshStore(dialect, { migrated: false });
    const { db } = ts.store;
    await migrate(ts.store, "0008-fillfactor");
    const { id: accountId } = await db
      .insertInto("accounts")
      .values({ name: "upgrade", created_at: 1, monthly_run_quota: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    const queued = (prefix: string, n: number) =>
      JSON.stringify(Array.from({ length: n }, (_, i) => ({ e: `${prefix}${i}@example.com`, f: [], i: [], x: [] })));
    const legacy = db as unknown as { insertInto(t: string): { values(v: object): { execute(): Promise<unknown> } } };
    const base = { account_id: accountId, created_count: 0, updated_count: 0, over_limit_count: 0, created_at: 1, updated_at: 1 };
    // 2,500 contacts of which the first 1,000 were applied (committed with `processed`).
    await legacy
      .insertInto("imports")
      .values({ ...base, status: "started", payload: queued("half", 2500), processed: 1000, created_count: 1000, lease_until: 1 })
      .execute();
    await legacy
      .insertInto("imports")
      .values({ ...base, status: "created", payload: queued("queued", 1200), processed: 0, lease_until: null })
      .execute();
    await legacy
      .insertInto("imports")
      .values({ ...base, status: "finished", payload: "[]", processed: 10, created_count: 10, lease_until: null })
      .execute();

    expect(await migrate(ts.store)).toContain("0009-import-chunks");
    // One chunk row per 1,000 contacts not yet applied: 2 for the half-done import, 2 for the queued one.
    const chunks = await db.selectFrom("import_chunks").select(["import_id", "seq"]).orderBy("import_id").orderBy("seq").execute();
    expect(chunks).toEqual([
      { import_id: 1, seq: 1 },
      { import_id: 1, seq: 2 },
      { import_id: 2, seq: 0 },
      { import_id: 2, seq: 1 },
    ]);

    const imports = importsService(ts.store, systemClock, { maxContacts: 0 });
    await jobRunner(ts.store, systemClock, [imports.handler], pino({ level: "silent" })).drain();

    const views = await Promise.all([1, 2, 3].map((id) => imports.get(accountId, id)));
    expect(views).toEqual([
      { id: 1, status: "finished", created_contacts_count: 2500, updated_contacts_count: 0, contacts_over_limit_count: 0 },
      { id: 2, status: "finished", created_contacts_count: 1200, updated_contacts_count: 0, contacts_over_limit_count: 0 },
      { id: 3, status: "finished", created_contacts_count: 10, updated_contacts_count: 0, contacts_over_limit_count: 0 },
    ]);
    const emails = (await db.selectFrom("contacts").select("email").execute()).map((c) => c.email);
    // Exactly the contacts not applied before the upgrade (the first 1,000 of "half" were, in
    // the old version, in rows this fresh database never had).
    expect(emails.filter((e) => e.startsWith("half")).sort()).toEqual(
      Array.from({ length: 1500 }, (_, i) => `half${i + 1000}@example.com`).sort(),
    );
    expect(emails.filter((e) => e.startsWith("queued"))).toHaveLength(1200);
    expect(await db.selectFrom("import_chunks").selectAll().execute()).toEqual([]);
  });

  it("a failed import leaves no chunk behind", async () => {
    ts = await freshStore(dialect);
    const { db } = ts.store;
    const { id: accountId } = await db
      .insertInto("accounts")
      .values({ name: "fail", created_at: 1, monthly_run_quota: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    const imports = importsService(ts.store, systemClock, { maxContacts: 0 });
    const view = await imports.create(
      accountId,
      Array.from({ length: 2100 }, (_, i) => ({ email: `c${i}@example.com` })),
    );
    expect(await db.selectFrom("import_chunks").select("seq").orderBy("seq").execute()).toEqual([{ seq: 0 }, { seq: 1 }, { seq: 2 }]);
    await imports.handler.fail({ id: view.id, account_id: accountId }, new Error("broken"));
    expect(await imports.get(accountId, view.id)).toEqual({ id: view.id, status: "failed" });
    expect(await db.selectFrom("import_chunks").selectAll().execute()).toEqual([]);
  });
});
