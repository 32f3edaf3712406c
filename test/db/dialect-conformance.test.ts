import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectOf } from "../../src/server/db/dialect-of.ts";
import { fixedQuery } from "../../src/server/db/fixed-query.ts";
import { insertRows } from "../../src/server/db/rows-relation.ts";
import { DIALECTS, freshStore, type TestStore } from "../helpers/with-database.ts";

const CONTACT_COLUMNS = {
  id: "text",
  account_id: "bigint",
  email: "text",
  status: "text",
  fields: "text",
  created_at: "bigint",
  updated_at: "bigint",
} as const;

/**
 * Each port of the dialect object answers the same on both databases: the domain code
 * above it never asks which database it talks to.
 */
describe.each(DIALECTS)("dialect ports on %s", (name) => {
  let ts: TestStore;
  const account = 41;
  const contact = (id: string, fields: Record<string, unknown>) => ({
    id,
    account_id: account,
    email: `${id}@example.com`,
    status: "subscribed" as const,
    fields: JSON.stringify(fields),
    created_at: 1,
    updated_at: 1,
  });

  beforeAll(async () => {
    ts = await freshStore(name);
    await insertRows(ts.store.db, "contacts", CONTACT_COLUMNS, [
      contact("c1", { "1": "pro", "2": 2 }),
      contact("c2", { "1": "free", "2": 2.0, "3": true }),
      contact("c3", { "1": null, "2": "2" }),
    ]);
  });
  afterAll(() => ts.dispose());

  const ids = async (where: ReturnType<ReturnType<typeof dialectOf>["fieldValue"]>) =>
    (await ts.store.db.selectFrom("contacts").select("id").where("account_id", "=", account).where(where).orderBy("id").execute()).map(
      (r) => r.id,
    );

  it("is found from the store's Kysely instance and from a transaction of it", async () => {
    expect(dialectOf(ts.store.db).name).toBe(name);
    await ts.store.db.transaction().execute(async (trx) => expect(dialectOf(trx).name).toBe(name));
  });

  it("bulk insert writes every row, and skips existing ones when asked", async () => {
    await insertRows(ts.store.db, "contacts", CONTACT_COLUMNS, [contact("c1", { "1": "changed" }), contact("c4", {})], {
      onConflict: "nothing",
    });
    const rows = await ts.store.db
      .selectFrom("contacts")
      .select(["id", "fields"])
      .where("account_id", "=", account)
      .orderBy("id")
      .execute();
    expect(rows.map((r) => r.id)).toEqual(["c1", "c2", "c3", "c4"]);
    expect(JSON.parse(rows[0]!.fields)).toEqual({ "1": "pro", "2": 2 });
    await ts.store.db.deleteFrom("contacts").where("id", "=", "c4").execute();
  });

  it("inList matches exactly the values given, for text and numbers, however many", async () => {
    const d = dialectOf(ts.store.db);
    const q = (values: string[]) =>
      ts.store.db
        .selectFrom("contacts")
        .select("id")
        .where(d.inList("id", values, "text"))
        .orderBy("id")
        .execute();
    expect((await q(["c3", "c1", "nobody"])).map((r) => r.id)).toEqual(["c1", "c3"]);
    const many = Array.from({ length: 2_000 }, (_, i) => `x${i}`).concat("c2");
    expect((await q(many)).map((r) => r.id)).toEqual(["c2"]);
    const byAccount = await ts.store.db
      .selectFrom("contacts")
      .select("id")
      .where(d.inList("account_id", [account], "bigint"))
      .execute();
    expect(byAccount).toHaveLength(3);
  });

  it("rowsRelation joins an update against many rows in one statement", async () => {
    const d = dialectOf(ts.store.db);
    await sql`with v(id, email) as (${d.rowsRelation(
      ["text", "text"],
      [
        ["c1", "one@example.com"],
        ["c2", "two@example.com"],
      ],
    )})
      update contacts set email = v.email from v where contacts.id = v.id and contacts.account_id = ${account}`.execute(ts.store.db);
    const rows = await ts.store.db.selectFrom("contacts").select(["id", "email"]).where("account_id", "=", account).orderBy("id").execute();
    expect(rows.map((r) => r.email)).toEqual(["one@example.com", "two@example.com", "c3@example.com"]);
  });

  it("an update joined against a relation and restricted by its keys writes exactly those rows", async () => {
    const d = dialectOf(ts.store.db);
    await sql`with v(id, status) as (${d.rowsRelation(
      ["text", "text"],
      [
        ["c1", "unsubscribed"],
        ["c3", "unsubscribed"],
      ],
    )})
      update contacts set status = v.status from v where contacts.id = v.id and contacts.account_id = ${account}${d.joinedUpdateKeys("contacts.id", ["c1", "c3"], "text")}`.execute(
      ts.store.db,
    );
    const rows = await ts.store.db
      .selectFrom("contacts")
      .select(["id", "status"])
      .where("account_id", "=", account)
      .orderBy("id")
      .execute();
    expect(rows.map((r) => r.status)).toEqual(["unsubscribed", "subscribed", "unsubscribed"]);
    await ts.store.db.updateTable("contacts").set({ status: "subscribed" }).where("account_id", "=", account).execute();
  });

  it("a field value condition compares with the value's JSON type, and 'present' means not null", async () => {
    const d = dialectOf(ts.store.db);
    expect(await ids(d.fieldValue(1, "pro"))).toEqual(["c1"]);
    expect(await ids(d.fieldValue(2, 2))).toEqual(["c1", "c2"]); // 2 equals 2.0, never "2"
    expect(await ids(d.fieldValue(2, "2"))).toEqual(["c3"]);
    expect(await ids(d.fieldValue(3, true))).toEqual(["c2"]);
    expect(await ids(d.fieldValue(1))).toEqual(["c1", "c2"]); // c3's is null
  });

  it("removing a field's values leaves the other fields and accounts alone", async () => {
    const d = dialectOf(ts.store.db);
    await insertRows(ts.store.db, "contacts", CONTACT_COLUMNS, [{ ...contact("other", { "2": 9 }), account_id: account + 1 }]);
    await d.removeFieldValues(ts.store.db, account, 2);
    expect(await ids(d.fieldValue(2))).toEqual([]);
    expect(await ids(d.fieldValue(1))).toEqual(["c1", "c2"]);
    const other = await ts.store.db.selectFrom("contacts").select("fields").where("id", "=", "other").executeTakeFirstOrThrow();
    expect(JSON.parse(other.fields)).toEqual({ "2": 9 });
  });

  it("a row's version changes when the row is written (where writes can interleave)", async () => {
    const d = dialectOf(ts.store.db);
    const version = async () =>
      (await ts.store.db.selectFrom("contacts").select(d.rowVersion().as("v")).where("id", "=", "c1").executeTakeFirstOrThrow()).v;
    const before = await version();
    await ts.store.db.updateTable("contacts").set({ updated_at: 2 }).where("id", "=", "c1").execute();
    if (d.sharedByProcesses) expect(await version()).not.toBe(before);
    else expect([before, await version()]).toEqual([null, null]);
  });

  it("row locks and transaction locks are valid SQL on each database", async () => {
    const d = dialectOf(ts.store.db);
    await ts.store.db.transaction().execute(async (trx) => {
      await d.lockForTransaction(trx, 7_999);
      for (const lock of ["update", "share", "update skip locked"] as const) {
        const rows = await sql<{ id: string }>`select id from contacts where id = ${"c1"}${d.rowLock(lock)}`.execute(trx);
        expect(rows.rows.map((r) => r.id)).toEqual(["c1"]);
      }
    });
  });

  it("after a row inserted with an explicit id, the next generated id is past it", async () => {
    const d = dialectOf(ts.store.db);
    await ts.store.db.transaction().execute(async (trx) => {
      await trx.insertInto("lists").values({ id: 500, account_id: account, name: "explicit", created_at: 1, updated_at: 1 }).execute();
      await d.syncSequence(trx, "lists", "id");
    });
    const next = await ts.store.db
      .insertInto("lists")
      .values({ account_id: account, name: "generated", created_at: 1, updated_at: 1 })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(next.id).toBe(501);
  });

  it("a fixed text with ? placeholders runs as is on each database", async () => {
    const byEmail = fixedQuery<{ id: string }>("select id from contacts where account_id = ? and email = ?");
    expect(await byEmail(ts.store.db, [account, "c3@example.com"])).toEqual([{ id: "c3" }]);
  });
});
