import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { createActive, seedAccount, settle } from "../engine/engine-helpers.ts";

const HUMAN = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

type Action =
  | { kind: "contact"; plan: "pro" | "free" }
  | { kind: "event"; who: number }
  | { kind: "advance"; hours: number }
  | { kind: "open" | "click" | "unsubscribe"; which: number; bot: boolean }
  | { kind: "delete"; who: number }
  | { kind: "toggle" };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("contact" as const), plan: fc.constantFrom("pro" as const, "free" as const) }),
  fc.record({ kind: fc.constant("event" as const), who: fc.nat(20) }),
  fc.record({ kind: fc.constant("event" as const), who: fc.nat(20) }),
  fc.record({ kind: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constantFrom("open" as const, "click" as const, "unsubscribe" as const), which: fc.nat(40), bot: fc.boolean() }),
  fc.record({ kind: fc.constant("delete" as const), who: fc.nat(20) }),
  fc.record({ kind: fc.constant("toggle" as const) }),
);

describe.each(DIALECTS)("report figures on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1" });
  });
  afterAll(() => t.close());

  /** Every figure of the report, counted straight from the raw tables. */
  async function fromRawTables(automationId: number) {
    const db = t.store.db;
    const runs = await db
      .selectFrom("runs")
      .select(["status", "exit_reason", "step_id", "phase"])
      .where("automation_id", "=", automationId)
      .execute();
    const journal = await db
      .selectFrom("run_journal")
      .select(["step_id", "completed_at", "outcome"])
      .where("automation_id", "=", automationId)
      .execute();
    const msgs = await db
      .selectFrom("messages")
      .select(["id", "step_id", "status", "opened_at", "clicked_at"])
      .where("automation_id", "=", automationId)
      .execute();
    const unsubs = await db.selectFrom("message_events").select("message_row_id").where("kind", "=", "unsubscribe").execute();
    const refusals = await db.selectFrom("entry_refusals").select("reason").where("automation_id", "=", automationId).execute();
    const tally = (xs: string[]) => xs.reduce<Record<string, number>>((a, x) => ((a[x] = (a[x] ?? 0) + 1), a), {});
    const step = (id: string, type: string) => {
      const mine = msgs.filter((m) => m.step_id === id);
      const sent = mine.filter((m) => m.status === "sent").length;
      return {
        step_id: id,
        type,
        entered: journal.filter((j) => j.step_id === id).length,
        completed: journal.filter((j) => j.step_id === id && j.completed_at !== null).length,
        waiting: type === "delay" ? runs.filter((r) => r.status === "active" && r.step_id === id && r.phase === "waiting").length : 0,
        ...(type === "send_email"
          ? {
              email: {
                sent,
                failed: mine.filter((m) => m.status === "failed").length,
                skipped: mine.filter((m) => m.status === "skipped").length,
                unique_opens: mine.filter((m) => m.opened_at !== null).length,
                unique_clicks: mine.filter((m) => m.clicked_at !== null).length,
                unsubscribes: unsubs.filter((u) => mine.some((m) => m.id === u.message_row_id)).length,
              },
            }
          : {}),
        ...(type === "condition"
          ? {
              branches: {
                yes: journal.filter((j) => j.step_id === id && j.outcome === "yes").length,
                no: journal.filter((j) => j.step_id === id && j.outcome === "no").length,
              },
            }
          : {}),
      };
    };
    return {
      entered: runs.length,
      active: runs.filter((r) => r.status === "active").length,
      completed: runs.filter((r) => r.status === "completed").length,
      failed: runs.filter((r) => r.status === "failed").length,
      exited: tally(runs.filter((r) => r.status === "exited").map((r) => r.exit_reason!)),
      refused: tally(refusals.map((r) => r.reason)),
      steps: [step("s1", "send_email"), step("s2", "delay"), step("s3", "condition"), step("s4", "send_email"), step("s5", "update_field")],
    };
  }

  it("every figure equals the count derived from the raw tables, whatever happens", async () => {
    // The scenarios must exercise the figures, not agree on zeros.
    const seen = { entered: 0, waiting: 0, opens: 0, exited: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 14 }), async (actions) => {
        const { acc } = await seedAccount(t);
        const id = await createActive(t, acc, {
          name: "report",
          trigger: { type: "custom_event", event: "go" },
          entry_step_id: "s1",
          settings: { reentry_hours: 0 },
          steps: [
            { id: "s1", type: "send_email", email: { subject: "Hi", html: "<p>x</p>" }, next: "s2" },
            { id: "s2", type: "delay", amount: 1, unit: "days", next: "s3" },
            { id: "s3", type: "condition", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }], yes: "s4", no: "s5" },
            { id: "s4", type: "send_email", email: { subject: "Pro", text: "y" }, next: null },
            { id: "s5", type: "update_field", field: "age", value: 1, next: null },
          ],
        });
        const contacts: string[] = [];
        let active = true;
        for (const a of actions) {
          if (a.kind === "contact") {
            const r = await t.call(acc, "POST", "/api/contacts", {
              contact: { email: `c${contacts.length}-${Math.random()}@example.com`, fields: { plan: a.plan } },
            });
            contacts.push(r.json().data.id);
          } else if (a.kind === "event" && contacts.length > 0) {
            await t.call(acc, "POST", `/api/contacts/${contacts[a.who % contacts.length]}/events`, { name: "go" });
          } else if (a.kind === "delete" && contacts.length > 0) {
            await t.call(acc, "DELETE", `/api/contacts/${contacts[a.who % contacts.length]}`);
          } else if (a.kind === "advance") {
            await t.call(acc, "POST", "/api/test-clock/advance", { seconds: a.hours * 3600 });
          } else if (a.kind === "toggle") {
            await t.call(acc, "POST", `/api/automations/${id}/${active ? "disable" : "activate"}`);
            active = !active;
          } else if (a.kind === "open" || a.kind === "click" || a.kind === "unsubscribe") {
            const msgs = await t.store.db.selectFrom("messages").select("id").where("automation_id", "=", id).orderBy("id").execute();
            if (msgs.length === 0) continue;
            const m = msgs[a.which % msgs.length]!.id;
            const ua = a.bot ? "Proofpoint scanner" : HUMAN;
            if (a.kind === "open")
              await t.app.inject({ method: "GET", url: new URL(t.services.links.open(m)).pathname, headers: { "user-agent": ua } });
            if (a.kind === "click")
              await t.app.inject({
                method: "GET",
                url: new URL(t.services.links.click(m, "https://example.com/x")).pathname,
                headers: { "user-agent": ua },
              });
            if (a.kind === "unsubscribe")
              await t.app.inject({
                method: "POST",
                url: new URL(t.services.links.unsubscribe(m)).pathname,
                payload: "List-Unsubscribe=One-Click",
                headers: { "content-type": "application/x-www-form-urlencoded" },
              });
          }
          await settle(t);
        }
        const report = (await t.call(acc, "GET", `/api/automations/${id}/report`)).json().data;
        const raw = await fromRawTables(id);
        const withoutRates = {
          ...report,
          steps: report.steps.map((s: { email?: Record<string, number> }) => {
            if (!s.email) return s;
            const { open_rate: _o, click_rate: _c, delivery_rate: _d, ...email } = s.email;
            return { ...s, email };
          }),
        };
        expect(withoutRates).toEqual(raw);
        seen.entered += raw.entered;
        seen.waiting += raw.steps[1]!.waiting;
        seen.opens += raw.steps[0]!.email!.unique_opens;
        seen.exited += Object.keys(raw.exited).length;
        const daily = (await t.call(acc, "GET", `/api/automations/${id}/report/daily`)).json().data as { entered: number }[];
        expect(daily.reduce((n, d) => n + d.entered, 0)).toBe(raw.entered);
      }),
      {
        numRuns: 12,
        examples: [
          [[{ kind: "contact", plan: "pro" }, { kind: "event", who: 0 }, { kind: "open", which: 0, bot: false }, { kind: "toggle" }]],
        ],
      },
    );
    expect(seen.entered).toBeGreaterThan(0);
    expect(seen.waiting + seen.exited).toBeGreaterThan(0);
    expect(seen.opens).toBeGreaterThan(0);
  });
});
