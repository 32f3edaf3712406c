import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupCommit } from "../../src/server/db/group-commit.ts";
import { DIALECTS, freshStore, type TestStore } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";

describe.each(DIALECTS)("writes committed together on %s", (dialect) => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await freshStore(dialect);
  });
  afterAll(() => ts.dispose());

  it("a write that fails is undone alone and answers its error; the others commit", async () => {
    const writes = groupCommit(ts.store);
    const insert = (name: string) =>
      writes.run(async (trx) => {
        await trx.insertInto("lists").values({ account_id: 7, name, created_at: 1, updated_at: 1 }).execute();
        if (name.startsWith("bad")) throw new Error(`refused ${name}`);
        return name;
      });
    // Queued in one turn of the event loop: on SQLite they share one transaction.
    const outcomes = await Promise.allSettled(["a", "bad1", "b", "bad2", "c"].map(insert));
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : (o.reason as Error).message))).toEqual([
      "a",
      "refused bad1",
      "b",
      "refused bad2",
      "c",
    ]);
    const names = (await ts.store.db.selectFrom("lists").select("name").where("account_id", "=", 7).orderBy("name").execute()).map(
      (r) => r.name,
    );
    expect(names).toEqual(["a", "b", "c"]);
  });

  // SQLite only: PostgreSQL runs each write as its own transaction, concurrently.
  it.runIf(dialect === "sqlite")("SQLite: each write sees the ones queued before it in the same group", async () => {
    const writes = groupCommit(ts.store);
    let i = 0;
    const count = () =>
      writes.run(async (trx) => {
        await trx
          .insertInto("lists")
          .values({ account_id: 8, name: `x${i++}`, created_at: 1, updated_at: 1 })
          .execute();
        return Number(
          (
            await trx
              .selectFrom("lists")
              .select((eb) => eb.fn.countAll<number | string>().as("n"))
              .where("account_id", "=", 8)
              .executeTakeFirstOrThrow()
          ).n,
        );
      });
    expect(await Promise.all([count(), count(), count()])).toEqual([1, 2, 3]);
  });

  // PostgreSQL groups without savepoints: a failure reruns every write of the group alone.
  it.runIf(dialect === "postgres")("PostgreSQL: writes queued together share a transaction; after a failure each runs alone", async () => {
    const writes = groupCommit(ts.store);
    const txid = (fail = false) =>
      writes.run(async (trx) => {
        const { rows } = await sql<{ id: string }>`select txid_current()::text as id`.execute(trx);
        await trx
          .insertInto("lists")
          .values({ account_id: 9, name: `t${rows[0]!.id}-${Math.random()}`, created_at: 1, updated_at: 1 })
          .execute();
        if (fail) throw new Error("refused");
        return rows[0]!.id;
      });
    const together = await Promise.all([txid(), txid(), txid()]);
    expect(new Set(together).size).toBe(1);

    const outcomes = await Promise.allSettled([txid(), txid(true), txid()]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const [a, , c] = outcomes.map((o) => (o.status === "fulfilled" ? o.value : null));
    expect(a).not.toBe(c);
    // Three from the first group, two from the reruns: the failed write and the undone group left nothing.
    expect(
      Number(
        (
          await ts.store.db
            .selectFrom("lists")
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .where("account_id", "=", 9)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(5);
  });
});

describe.each(DIALECTS)("ingestion under concurrency on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(() => t.close());

  it("50 events posted at once: each answered as if alone, 404s written nowhere", async () => {
    const acc = await t.newAccount();
    for (let i = 0; i < 5; i++)
      expect((await t.call(acc, "POST", "/api/contacts", { contact: { email: `c${i}@example.com` } })).statusCode).toBe(201);
    const posts = Array.from({ length: 50 }, (_, i) =>
      t.call(acc, "POST", `/api/contacts/${encodeURIComponent(`c${i % 7}@example.com`)}/events`, { name: "seen", params: { i } }),
    );
    const codes = (await Promise.all(posts)).map((r) => r.statusCode);
    expect(codes).toEqual(Array.from({ length: 50 }, (_, i) => (i % 7 < 5 ? 201 : 404)));
    const stored = await t.store.db.selectFrom("contact_events").select("params").where("account_id", "=", acc.accountId).execute();
    expect(stored.map((r) => JSON.parse(r.params).i).sort((a: number, b: number) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 7 < 5),
    );
  });
});
