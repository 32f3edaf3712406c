import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "../helpers/test-app.ts";
import { contact, createActive, seedAccount, settle } from "../engine/engine-helpers.ts";
import { type SmtpSink, startSink } from "./smtp-sink.ts";

const UNKNOWN_USER = { code: 550, message: "5.1.1 <ghost@example.com>: Recipient address rejected: User unknown", at: "rcpt" as const };

// A 5.1.1 reply unsubscribes the contact from the sender's outcome transaction. That
// change is computed from a read of the contact: a field value another transaction
// commits meanwhile must survive it (the unsubscribe must not write back the old fields).
describe.each(DIALECTS)("a bounce unsubscribe racing a field change on %s", (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSink({ parse: false });
    t = await testApp(dialect, { MAILWRIGHT_SMTP_URL: sink.url, MAILWRIGHT_PUBLIC_URL: "https://mail.example.com" });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });
  beforeEach(() => {
    sink.plan.length = 0;
  });

  /** A contact with plan = free and one queued email to it, whose delivery will bounce as an unknown user. */
  async function bouncingContact(email: string) {
    const { acc } = await seedAccount(t);
    await createActive(t, acc, {
      name: "One email",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: [{ id: "s1", type: "send_email", email: { subject: "Hi", text: "hello" }, next: null }],
    });
    const c = await contact(t, acc, email, { fields: { plan: "free" } });
    await settle(t);
    const fields = (await t.call(acc, "GET", "/api/contacts/fields")).json() as { id: number; merge_tag: string }[];
    const planId = fields.find((f) => f.merge_tag === "plan")!.id;
    return { acc, c, planId };
  }

  const contactOf = async (acc: TestAccount, id: string) =>
    (await t.call(acc, "GET", `/api/contacts/${id}`)).json().data as { status: string; fields: Record<string, unknown> };

  it("a plan change committed while the email was being delivered is kept by the unsubscribe", async () => {
    const { acc, c } = await bouncingContact("inflight@example.com");
    sink.plan.push(UNKNOWN_USER);
    // The sender has read the contact to render the email; the change commits before the bounce is recorded.
    const patched = new Promise<number>((resolve, reject) => {
      sink.onRcpt = () =>
        t
          .call(acc, "PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, fields: { plan: "pro" } } })
          .then((r) => resolve(r.statusCode), reject);
    });
    try {
      await t.services.sender.drain();
    } finally {
      sink.onRcpt = undefined;
    }
    expect(await patched).toBe(200);
    expect(await contactOf(acc, c.id)).toMatchObject({ status: "unsubscribed", fields: { plan: "pro" } });
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
    throw new Error("the sender never waited on the contact");
  }

  // PostgreSQL runs the sender's outcome transaction beside others: a field change that
  // commits between the unsubscribe's read of the contact and its write is the lost update
  // (plan = pro went back to plan = free before the contact writer).
  it.runIf(dialect === "postgres")("a plan change committed between the unsubscribe's read and its write is kept", async () => {
    const { acc, c, planId } = await bouncingContact("between@example.com");
    sink.plan.push(UNKNOWN_USER);
    let drained: Promise<unknown> | undefined;
    // Another transaction changes the plan and holds the row until the sender waits on it,
    // then commits: whatever the sender read before, it must not write back plan = free.
    await t.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("contacts")
        .set({ fields: JSON.stringify({ [planId]: "pro" }) })
        .where("account_id", "=", acc.accountId)
        .where("id", "=", c.id)
        .execute();
      drained = t.services.sender.drain();
      await untilBlocked();
    });
    await drained;
    expect(await contactOf(acc, c.id)).toMatchObject({ status: "unsubscribed", fields: { plan: "pro" } });
    const events = await t.store.db
      .selectFrom("trigger_events")
      .select("type")
      .where("account_id", "=", acc.accountId)
      .where("contact_id", "=", c.id)
      .execute();
    expect(events.filter((e) => e.type === "contact_unsubscribed")).toHaveLength(1);
  });
});
