import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "../helpers/test-app.ts";
import { contact, createActive, seedAccount, settle } from "../engine/engine-helpers.ts";

// Every change to a contact goes through the contact writer: computed from one read, written
// only over the version read, computed again when another transaction got there first.
describe.each(DIALECTS)("the contact writer under concurrent changes on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(() => t.close());

  const contactOf = async (acc: TestAccount, id: string) =>
    (await t.call(acc, "GET", `/api/contacts/${id}`)).json().data as {
      status: string;
      fields: Record<string, unknown>;
      list_ids: number[];
    };
  const typesOf = async (acc: TestAccount, id: string) =>
    (
      await t.store.db
        .selectFrom("trigger_events")
        .select("type")
        .where("account_id", "=", acc.accountId)
        .where("contact_id", "=", id)
        .orderBy("id")
        .execute()
    ).map((e) => e.type);

  it("PATCHes of different fields of one contact, all at once, keep every field and each change's event", async () => {
    const { acc, listA } = await seedAccount(t);
    const cs = await Promise.all([1, 2, 3, 4, 5].map((n) => contact(t, acc, `both${n}@example.com`)));
    const patch = (c: { id: string; email: string }, body: Record<string, unknown>) =>
      t.call(acc, "PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, ...body } });
    const answers = await Promise.all(
      cs.flatMap((c) => [
        patch(c, { fields: { plan: "pro" } }),
        patch(c, { fields: { age: 30 } }),
        patch(c, { list_ids_included: [listA] }),
      ]),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(answers.map(() => 200));
    for (const c of cs) {
      expect(await contactOf(acc, c.id)).toMatchObject({ fields: { plan: "pro", age: 30 }, list_ids: [listA] });
      expect((await typesOf(acc, c.id)).sort()).toEqual([
        "contact_added_to_list",
        "contact_created",
        "contact_field_updated",
        "contact_field_updated",
      ]);
    }
  });

  it("twenty one-click unsubscribes of one link at once unsubscribe, record and count once", async () => {
    const { acc } = await seedAccount(t);
    const automationId = await createActive(t, acc, {
      name: "mail",
      trigger: { type: "contact_created" },
      entry_step_id: "m",
      steps: [{ id: "m", type: "send_email", email: { subject: "Hi", text: "hello" }, next: null }],
    });
    const c = await contact(t, acc, "clicker@example.com", { fields: { plan: "free" } });
    await settle(t);
    const [m] = await t.store.db.selectFrom("messages").select("id").where("account_id", "=", acc.accountId).execute();
    const url = new URL(t.services.links.unsubscribe(m!.id)).pathname;
    const clicks = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.app.inject({
          method: "POST",
          url,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          payload: "List-Unsubscribe=One-Click",
        }),
      ),
    );
    expect(clicks.map((r) => r.statusCode)).toEqual(clicks.map(() => 200));
    expect(await contactOf(acc, c.id)).toMatchObject({ status: "unsubscribed", fields: { plan: "free" } });
    expect((await typesOf(acc, c.id)).filter((ty) => ty === "contact_unsubscribed")).toHaveLength(1);
    const recorded = await t.store.db
      .selectFrom("message_events")
      .select("kind")
      .where("message_row_id", "=", m!.id)
      .where("kind", "=", "unsubscribe")
      .execute();
    expect(recorded).toHaveLength(1);
    const report = (await t.call(acc, "GET", `/api/automations/${automationId}/report`)).json().data;
    expect(report.steps[0].email.unsubscribes).toBe(1);
  });

  it("an import naming one address twice writes it once, with both changes and each one's events", async () => {
    const { acc, listA, listB } = await seedAccount(t);
    const existing = await contact(t, acc, "twice@example.com", { fields: { plan: "free" } });
    const created = (
      await t.call(acc, "POST", "/api/contacts/imports", {
        contacts: [
          { email: "twice@example.com", fields: { plan: "pro" }, list_ids_included: [listA] },
          { email: "TWICE@example.com", fields: { age: 41 }, list_ids_included: [listB], list_ids_excluded: [listA] },
          { email: "new-twice@example.com", fields: { plan: "free" } },
          { email: "new-twice@example.com", fields: { plan: "pro" } },
        ],
      })
    ).json() as { id: number };
    await settle(t);
    expect((await t.call(acc, "GET", `/api/contacts/imports/${created.id}`)).json()).toMatchObject({
      status: "finished",
      created_contacts_count: 1,
      updated_contacts_count: 1,
    });
    expect(await contactOf(acc, existing.id)).toMatchObject({ fields: { plan: "pro", age: 41 }, list_ids: [listB] });
    expect(await typesOf(acc, existing.id)).toEqual([
      "contact_created",
      "contact_field_updated",
      "contact_added_to_list",
      "contact_field_updated",
      "contact_added_to_list",
      "contact_removed_from_list",
    ]);
    const fresh = (await t.call(acc, "GET", "/api/contacts/new-twice@example.com")).json().data as {
      id: string;
      fields: Record<string, unknown>;
    };
    expect(fresh.fields).toEqual({ plan: "pro" });
    // Created by the first, changed by the second: one row, both events.
    expect(await typesOf(acc, fresh.id)).toEqual(["contact_created", "contact_field_updated"]);
  });

  /** Waits until some statement of this database waits on a row lock. */
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
    throw new Error("the writer never waited on the contact");
  }

  // Each of the writer's callers, while another transaction holds a committed-to-be change of
  // the same contact (PostgreSQL: writers interleave): its own change lands on top, and the
  // other's survives. `setup` runs before the contact exists, `queue` after, `write` during the race.
  interface Writer {
    setup?(acc: TestAccount): Promise<unknown>;
    queue?(acc: TestAccount, c: { id: string; email: string }): Promise<unknown>;
    write(acc: TestAccount, c: { id: string; email: string }): Promise<unknown>;
    expected: Record<string, unknown>;
  }
  const sendsEmail = (acc: TestAccount) =>
    createActive(t, acc, {
      name: "mail",
      trigger: { type: "contact_created" },
      entry_step_id: "m",
      steps: [{ id: "m", type: "send_email", email: { subject: "Hi", text: "hello" }, next: null }],
    });
  const writers: [string, Writer][] = [
    [
      "an API PATCH",
      {
        write: (acc, c) => t.call(acc, "PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, unsubscribed: true } }),
        expected: { status: "unsubscribed" },
      },
    ],
    [
      "an unsubscribe link",
      {
        setup: sendsEmail,
        async write(acc) {
          const [m] = await t.store.db.selectFrom("messages").select("id").where("account_id", "=", acc.accountId).execute();
          const url = new URL(t.services.links.unsubscribe(m!.id)).pathname;
          return t.app.inject({
            method: "POST",
            url,
            headers: { "content-type": "application/x-www-form-urlencoded" },
            payload: "List-Unsubscribe=One-Click",
          });
        },
        expected: { status: "unsubscribed" },
      },
    ],
    [
      "an import",
      {
        queue: (acc, c) => t.call(acc, "POST", "/api/contacts/imports", { contacts: [{ email: c.email, fields: { age: 41 } }] }),
        write: () => t.services.jobs.drain(),
        expected: { fields: { plan: "pro", age: 41 } },
      },
    ],
    [
      "an engine step",
      {
        setup: (acc) =>
          createActive(t, acc, {
            name: "age",
            trigger: { type: "custom_event", event: "go" },
            entry_step_id: "a",
            steps: [{ id: "a", type: "update_field", field: "age", value: 41, next: null }],
          }),
        queue: (acc, c) => t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name: "go" }),
        write: () => t.services.engine.drain(),
        expected: { fields: { plan: "pro", age: 41 } },
      },
    ],
  ];

  it.runIf(dialect === "postgres").each(writers)("%s racing a committed field change keeps both", async (name, writer) => {
    const { acc } = await seedAccount(t);
    await writer.setup?.(acc);
    const c = await contact(t, acc, `${name.replace(/\W/g, "")}@example.com`, { fields: { plan: "free" } });
    await settle(t);
    await writer.queue?.(acc, c);
    const fields = (await t.call(acc, "GET", "/api/contacts/fields")).json() as { id: number; merge_tag: string }[];
    const planId = fields.find((f) => f.merge_tag === "plan")!.id;
    const current = JSON.parse(
      (await t.store.db.selectFrom("contacts").select("fields").where("id", "=", c.id).executeTakeFirstOrThrow()).fields,
    ) as Record<string, unknown>;
    let written: Promise<unknown> | undefined;
    await t.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("contacts")
        .set({ fields: JSON.stringify({ ...current, [planId]: "pro" }) })
        .where("account_id", "=", acc.accountId)
        .where("id", "=", c.id)
        .execute();
      written = writer.write(acc, c);
      await untilBlocked();
    });
    await written;
    expect(await contactOf(acc, c.id)).toMatchObject({ fields: { plan: "pro" }, ...writer.expected });
  });
});
