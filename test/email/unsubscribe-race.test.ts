import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "../helpers/test-app.ts";
import { contact, createActive, seedAccount, settle } from "../engine/engine-helpers.ts";

const N = 1000;
const BATCH = 20;

/** 1,000 queued sends for one contact, as 1,000 runs' send_email steps would leave them. */
async function queueSends(t: TestApp, acc: TestAccount, automationId: number, contactId: string, email: string): Promise<void> {
  const now = t.services.clock.now();
  const rows = Array.from({ length: N }, (_, i) => ({
    account_id: acc.accountId,
    run_id: 1_000_000 + i,
    step_id: "e",
    automation_id: automationId,
    contact_id: contactId,
    to_email: email,
    status: "queued" as const,
    email: JSON.stringify({ subject: "Hi", text: "hello" }),
    context: "{}",
    created_at: now,
    sent_at: null,
    opened_at: null,
    clicked_at: null,
    error: null,
    attempts: 0,
    next_attempt_at: now,
    lease_token: null,
    lease_until: null,
    message_id: null,
    smtp_response: null,
    first_attempt_at: null,
    subject: null,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await t.store.db
      .insertInto("messages")
      .values(rows.slice(i, i + 200))
      .execute();
}

describe.each(DIALECTS)("unsubscribe against queued sends on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_SENDER_BATCH: String(BATCH) });
  });
  afterAll(() => t.close());

  async function setup(email: string) {
    const { acc } = await seedAccount(t);
    const id = await createActive(t, acc, {
      name: "x",
      trigger: { type: "custom_event", event: "never" },
      entry_step_id: "e",
      steps: [{ id: "e", type: "send_email", email: { subject: "s", text: "t" }, next: null }],
    });
    const c = await contact(t, acc, email);
    await settle(t);
    await queueSends(t, acc, id, c.id, c.email);
    return { acc, id, c };
  }

  const statuses = async (id: number) => {
    const rows = await t.store.db.selectFrom("messages").select("status").where("automation_id", "=", id).execute();
    return rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  };

  it("an unsubscribe committed before the sender runs skips all 1,000 sends", async () => {
    const { acc, id, c } = await setup("before@example.com");
    const r = await t.call(acc, "PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, unsubscribed: true } });
    expect(r.statusCode).toBe(200);
    await t.services.sender.drain();
    expect(await statuses(id)).toEqual({ skipped: N });
    expect(await t.store.db.selectFrom("outbox_messages").select("id").where("account_id", "=", acc.accountId).execute()).toEqual([]);
    const report = (await t.call(acc, "GET", `/api/automations/${id}/report`)).json().data;
    expect(report.steps[0].email.skipped).toBe(N);
  });

  it("an unsubscribe while the sender runs: nothing claimed after its commit is sent", async () => {
    const { acc, id, c } = await setup("during@example.com");
    t.services.sender.start();
    try {
      // Let a few batches go out first.
      for (let i = 0; i < 200; i++) {
        const sent = await t.store.db
          .selectFrom("outbox_messages")
          .select("id")
          .where("account_id", "=", acc.accountId)
          .limit(1)
          .offset(2 * BATCH)
          .execute();
        if (sent.length > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const r = await t.call(acc, "PATCH", `/api/contacts/${c.id}`, { contact: { email: c.email, unsubscribed: true } });
      expect(r.statusCode).toBe(200);
      const atCommit = (
        await t.store.db.selectFrom("messages").select("id").where("automation_id", "=", id).where("status", "=", "sent").execute()
      ).length;
      await t.services.sender.stop();
      await t.services.sender.drain();
      const end = await statuses(id);
      expect(end["queued"]).toBeUndefined();
      expect((end["sent"] ?? 0) + (end["skipped"] ?? 0)).toBe(N);
      // Only the batch already claimed (and re-checked) before the commit may still go out.
      expect((end["sent"] ?? 0) - atCommit).toBeLessThanOrEqual(BATCH);
      expect(end["skipped"]).toBeGreaterThan(0);
    } finally {
      await t.services.sender.stop();
    }
  });
});
