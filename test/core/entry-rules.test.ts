import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  contactKey,
  decideEntries,
  type EntryCandidate,
  type EntryEvent,
  type EntryFacts,
  type LiveAutomation,
  matchEntries,
  monthOf,
  reentryKey,
} from "../../src/core/engine/entry-rules.ts";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const HOUR = 3_600_000;

const automation = (id: number, over: Partial<LiveAutomation["def"]> = {}): LiveAutomation => ({
  id,
  version: 4,
  def: {
    name: `a${id}`,
    trigger: { type: "contact_created" },
    entry_step_id: "s1",
    steps: [{ id: "s1", type: "unsubscribe", next: null }],
    ...over,
  },
});

const event = (id: number, contact = "c1", over: Partial<EntryEvent> = {}): EntryEvent => ({
  id,
  account_id: 1,
  contact_id: contact,
  type: "contact_created",
  payload: { v: 1 },
  ...over,
});

const candidate = (e: EntryEvent, a: LiveAutomation): EntryCandidate => ({
  event: e,
  automation: a,
  view: { type: e.type, payload: e.payload },
});

const facts = (over: Partial<EntryFacts> = {}): EntryFacts => ({
  contacts: new Set([contactKey(1, "c1"), contactKey(1, "c2"), contactKey(1, "c3")]),
  lastEntered: new Map(),
  quota: new Map([[1, { limit: 0, used: 0 }]]),
  ...over,
});

describe("entry rules (the dispatcher's decisions, no database)", () => {
  it("matches each event to the automations of its account whose trigger it starts", () => {
    const created = automation(1);
    const field = automation(2, { trigger: { type: "contact_field_updated", field: "age", to: "41" } });
    const other = automation(3);
    const events = [
      event(10),
      event(11, "c1", { type: "contact_field_updated", payload: { merge_tag: "age", to: 41 } }),
      event(12, "c1", { type: "contact_field_updated", payload: { merge_tag: "age", to: 40 } }),
      event(13, "c9", { account_id: 2 }),
    ];
    const got = matchEntries(
      events,
      new Map([
        [1, [created, field]],
        [2, [other]],
      ]),
      new Map([[1, new Map([["age", "integer" as const]])]]),
    );
    expect(got.map((c) => [c.event.id, c.automation.id])).toEqual([
      [10, 1],
      [11, 2],
      [13, 3],
    ]);
  });

  it("enrolls at the entry step, ready now, with the trigger as context, and counts the entry", () => {
    const plan = decideEntries([candidate(event(10), automation(1))], facts(), NOW);
    expect(plan.runs).toEqual([
      {
        account_id: 1,
        automation_id: 1,
        version: 4,
        contact_id: "c1",
        status: "active",
        step_id: "s1",
        phase: "ready",
        wake_at: NOW,
        trigger_event_id: 10,
        context: JSON.stringify({ event: { name: "contact_created", params: {} } }),
        entered_at: NOW,
      },
    ]);
    expect(plan.refusals).toEqual([]);
    expect(plan.bumps).toEqual([{ account_id: 1, automation_id: 1, step_id: "", metric: "entered", at: NOW }]);
    expect(plan.quotaUsed).toEqual(new Map([[1, 1]]));
  });

  it("refuses a contact deleted since its event, before any other rule", () => {
    const plan = decideEntries([candidate(event(10, "gone"), automation(1))], facts({ quota: new Map([[1, { limit: 1, used: 1 }]]) }), NOW);
    expect(plan.refusals).toEqual([
      { account_id: 1, automation_id: 1, contact_id: "gone", reason: "contact_deleted", trigger_event_id: 10, created_at: NOW },
    ]);
    expect(plan.bumps.map((b) => b.metric)).toEqual(["refused:contact_deleted"]);
  });

  it("refuses re-entry within the window (24 h unless set), allows it after, and an entry in this batch opens the window", () => {
    const a = automation(1);
    const short = automation(2, { settings: { reentry_hours: 1 } });
    const last = new Map([
      [reentryKey(1, "c1"), NOW - 23 * HOUR],
      [reentryKey(1, "c2"), NOW - 25 * HOUR],
      [reentryKey(2, "c1"), NOW - 2 * HOUR],
    ]);
    const plan = decideEntries(
      [candidate(event(10, "c1"), a), candidate(event(11, "c2"), a), candidate(event(12, "c2"), a), candidate(event(13, "c1"), short)],
      facts({ lastEntered: last }),
      NOW,
    );
    expect(plan.runs.map((r) => [r.trigger_event_id, r.automation_id])).toEqual([
      [11, 1],
      [13, 2],
    ]);
    expect(plan.refusals.map((r) => [r.trigger_event_id, r.reason])).toEqual([
      [10, "reentry"],
      [12, "reentry"],
    ]);
  });

  it("refuses entries once the month's quota is spent; a quota of 0 means none", () => {
    const a = automation(1);
    const cands = [candidate(event(10, "c1"), a), candidate(event(11, "c2"), a), candidate(event(12, "c3"), a)];
    const capped = decideEntries(cands, facts({ quota: new Map([[1, { limit: 5, used: 3 }]]) }), NOW);
    expect(capped.runs.map((r) => r.contact_id)).toEqual(["c1", "c2"]);
    expect(capped.refusals.map((r) => [r.contact_id, r.reason])).toEqual([["c3", "quota"]]);
    expect(capped.quotaUsed.get(1)).toBe(5);
    expect(decideEntries(cands, facts({ quota: new Map([[1, { limit: 0, used: 99 }]]) }), NOW).runs).toHaveLength(3);
  });

  it("does not change the facts it is given", () => {
    const f = facts({ quota: new Map([[1, { limit: 5, used: 0 }]]) });
    decideEntries([candidate(event(10), automation(1))], f, NOW);
    expect(f.quota.get(1)).toEqual({ limit: 5, used: 0 });
    expect(f.lastEntered.size).toBe(0);
  });

  it("counts months in UTC", () => {
    expect(monthOf(Date.parse("2026-11-30T23:59:59Z"))).toBe("2026-11");
    expect(monthOf(Date.parse("2026-12-01T00:00:00Z"))).toBe("2026-12");
  });

  it("whatever the candidates: each is a run or one refusal, the quota is never overrun, and counters match", () => {
    const input = fc.record({
      cands: fc.array(
        fc.record({
          contact: fc.constantFrom("c1", "c2", "c3", "gone"),
          automation: fc.constantFrom(1, 2),
          reentry: fc.constantFrom(0, 1, 24),
        }),
        { maxLength: 40 },
      ),
      limit: fc.nat(6),
      used: fc.nat(6),
      lastHoursAgo: fc.option(fc.integer({ min: 0, max: 48 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(input, ({ cands, limit, used, lastHoursAgo }) => {
        const list = cands.map((c, i) =>
          candidate(event(i + 1, c.contact), automation(c.automation, { settings: { reentry_hours: c.reentry } })),
        );
        const last = new Map(lastHoursAgo === undefined ? [] : [[reentryKey(1, "c1"), NOW - lastHoursAgo * HOUR]]);
        const plan = decideEntries(list, facts({ lastEntered: last, quota: new Map([[1, { limit, used }]]) }), NOW);
        expect(plan.runs.length + plan.refusals.length).toBe(list.length);
        expect(plan.quotaUsed.get(1)).toBe(used + plan.runs.length);
        if (limit > 0) expect(plan.runs.length).toBeLessThanOrEqual(Math.max(0, limit - used));
        expect(plan.bumps.filter((b) => b.metric === "entered").length).toBe(plan.runs.length);
        for (const reason of ["contact_deleted", "reentry", "quota"] as const) {
          expect(plan.bumps.filter((b) => b.metric === `refused:${reason}`).length).toBe(
            plan.refusals.filter((r) => r.reason === reason).length,
          );
        }
        expect(plan.runs.some((r) => r.contact_id === "gone")).toBe(false);
      }),
    );
  });
});
