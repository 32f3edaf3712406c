import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ContactState } from "../../src/core/contacts/contact-change.ts";
import { COUNTERS } from "../../src/core/engine/counter-names.ts";
import { fencedOut, planSteps, type RunStep, type StepFacts, type StepRun, stepRun } from "../../src/core/engine/plan-steps.ts";
import type { Definition } from "../../src/core/flow/schema.ts";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const HOUR = 3_600_000;

const def: Definition = {
  name: "Onboarding",
  trigger: { type: "contact_created" },
  entry_step_id: "mail",
  steps: [
    { id: "mail", type: "send_email", email: { template_id: 1 }, next: "wait" },
    { id: "wait", type: "delay", amount: 1, unit: "hours", next: "pro" },
    { id: "pro", type: "condition", match: "all", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }], yes: "tag", no: null },
    { id: "tag", type: "update_field", field: "plan", value: "vip", next: null },
  ],
};

const facts = (over: Partial<StepFacts> = {}): StepFacts => ({
  automation: "active",
  definition: def,
  fields: [{ id: 1, merge_tag: "plan", data_type: "text" }],
  condition: { eventCounts: {}, engagement: {} },
  ...over,
});

const contact = (over: Partial<ContactState> = {}): ContactState => ({
  id: "c1",
  email: "ann@example.com",
  status: "subscribed",
  fields: { "1": "pro" },
  listIds: [],
  ...over,
});

const run = (over: Partial<StepRun> = {}): StepRun => ({
  id: 1,
  account_id: 7,
  automation_id: 3,
  version: 2,
  contact_id: "c1",
  step_id: "mail",
  phase: "ready",
  wake_at: NOW,
  context: JSON.stringify({ event: { name: "contact_created", params: {} } }),
  ...over,
});

const plan = (...steps: RunStep[]) => planSteps(steps, NOW);

describe("stepRun and planSteps (the executor's decisions, no database)", () => {
  it("a send_email step queues a message, journals it, and keeps the lease for the next step", () => {
    const p = plan(stepRun(run(), facts(), contact(), NOW));
    expect(p.messages).toEqual([
      expect.objectContaining({
        run_id: 1,
        step_id: "mail",
        to_email: "ann@example.com",
        status: "queued",
        error: null,
        attempts: 0,
        next_attempt_at: NOW,
        created_at: NOW,
      }),
    ]);
    expect(p.journal).toEqual([expect.objectContaining({ run_id: 1, step_id: "mail", version: 2, outcome: "queued", completed_at: NOW })]);
    expect(p.advances).toEqual([
      { id: 1, step_id: "wait", phase: "ready", wake_at: NOW, status: "active", exit_reason: null, finished_at: null, release: false },
    ]);
    expect(p.next.get(1)).toEqual({ step_id: "wait", phase: "ready", wake_at: NOW, done: false });
    expect(p.bumps.map((b) => [b.step_id, b.metric])).toEqual([
      ["mail", "entered"],
      ["mail", "completed"],
    ]);
  });

  it("email to an unsubscribed contact is a skipped message, not sent later, counted as skipped", () => {
    const p = plan(stepRun(run(), facts(), contact({ status: "unsubscribed" }), NOW));
    expect(p.messages[0]).toMatchObject({ status: "skipped", error: "contact unsubscribed", next_attempt_at: null });
    expect(p.bumps.map((b) => b.metric)).toContain("email:skipped");
  });

  it("a delay waits with its wake time and lets the lease go; its journal row stays open", () => {
    const p = plan(stepRun(run({ step_id: "wait" }), facts(), contact(), NOW));
    expect(p.advances[0]).toMatchObject({ step_id: "wait", phase: "waiting", wake_at: NOW + HOUR, release: true });
    expect(p.journal[0]).toMatchObject({
      step_id: "wait",
      outcome: "waiting",
      completed_at: null,
      detail: JSON.stringify({ wake_at: NOW + HOUR }),
    });
    expect(p.bumps.map((b) => b.metric)).toEqual(["entered"]);
  });

  it("the end of a delay commits with the next step; delays that ended at one instant are one group", () => {
    const waiting = { step_id: "wait", phase: "waiting" as const, wake_at: NOW };
    const p = plan(
      stepRun(run({ id: 1, ...waiting }), facts(), contact(), NOW),
      stepRun(run({ id: 2, ...waiting }), facts(), contact(), NOW),
    );
    expect(p.delaysEnded).toEqual([{ account_id: 7, step_id: "wait", at: NOW, runIds: [1, 2] }]);
    expect(p.journal.map((j) => [j.run_id, j.step_id, j.outcome])).toEqual([
      [1, "pro", "yes"],
      [2, "pro", "yes"],
    ]);
    expect(p.bumps.filter((b) => b.step_id === "wait").map((b) => b.metric)).toEqual(["completed", "completed"]);
    expect(p.bumps.some((b) => b.metric === "abandoned")).toBe(false);
  });

  it("a condition reads the contact it is given (the ledger's, after the batch's earlier steps)", () => {
    const free = stepRun(run({ step_id: "pro" }), facts(), contact({ fields: { "1": "free" } }), NOW);
    expect(free.journal[0]).toMatchObject({ outcome: "no" });
    expect(free.end).toEqual({ status: "completed" });
    const pro = stepRun(run({ step_id: "pro" }), facts(), contact(), NOW);
    expect(pro.journal[0]).toMatchObject({ outcome: "yes" });
    expect(pro.position).toEqual({ step_id: "tag", phase: "ready", wake_at: NOW });
  });

  it.each([
    ["disabled", "automation_disabled"],
    ["deleted", "automation_deleted"],
    [undefined, "automation_disabled"],
  ] as const)("a run of an automation %s exits (%s), and leaving a delay abandons it", (status, reason) => {
    const p = plan(stepRun(run({ step_id: "wait", phase: "waiting", wake_at: NOW + HOUR }), facts({ automation: status }), contact(), NOW));
    expect(p.advances[0]).toMatchObject({ status: "exited", exit_reason: reason, finished_at: NOW, step_id: null, release: true });
    expect(p.journal).toEqual([]);
    expect(p.bumps.map((b) => [b.step_id, b.metric])).toEqual([
      ["", `exited:${reason}`],
      ["wait", "abandoned"],
    ]);
  });

  it("a run whose contact is gone exits; a run past its last step completes", () => {
    const gone = plan(stepRun(run(), facts(), undefined, NOW));
    expect(gone.advances[0]).toMatchObject({ status: "exited", exit_reason: "contact_deleted" });
    expect(gone.messages).toEqual([]);
    const done = plan(stepRun(run({ step_id: null }), facts(), contact(), NOW));
    expect(done.advances[0]).toMatchObject({ status: "completed", exit_reason: null, finished_at: NOW });
    expect(done.bumps.map((b) => [b.step_id, b.metric])).toEqual([["", "completed"]]);
  });

  it("a paused automation's runs keep going (pausing stops new entries only)", () => {
    expect(stepRun(run(), facts({ automation: "paused" }), contact(), NOW).end).toBeNull();
  });

  it("a lease another worker took, or a run ended meanwhile, is fenced out", () => {
    const fresh = new Map([
      [1, { lease_token: "mine", status: "active" }],
      [2, { lease_token: "theirs", status: "active" }],
      [3, { lease_token: "mine", status: "exited" }],
    ]);
    expect(fencedOut([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }], fresh, "mine")).toEqual([2, 3, 4]);
  });

  it("whatever the runs, the counters match the rows the plan writes", () => {
    const steps = [null, "mail", "wait", "pro", "tag", "removed"] as const;
    const runs = fc.array(
      fc.record({
        step_id: fc.constantFrom(...steps),
        waiting: fc.boolean(),
        due: fc.boolean(),
        automation: fc.constantFrom("active", "paused", "disabled", "deleted", undefined),
        contact: fc.option(
          fc.record({ status: fc.constantFrom("subscribed" as const, "unsubscribed" as const), plan: fc.constantFrom("pro", "free") }),
          { nil: undefined },
        ),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(runs, (rs) => {
        const stepped = rs.map((r, i) => {
          const phase = r.waiting && r.step_id === "wait" ? ("waiting" as const) : ("ready" as const);
          const wake_at = phase === "waiting" && !r.due ? NOW + HOUR : NOW;
          const c = r.contact && contact({ status: r.contact.status, fields: { "1": r.contact.plan } });
          return stepRun(run({ id: i + 1, step_id: r.step_id, phase, wake_at }), facts({ automation: r.automation }), c, NOW);
        });
        const p = planSteps(stepped, NOW);
        const n = (metric: string, step_id?: string) =>
          p.bumps.filter((b) => b.metric === metric && (step_id === undefined || b.step_id === step_id)).length;
        expect(p.advances.map((a) => a.id)).toEqual(stepped.map((s) => s.run.id));
        expect(p.bumps.every((b) => (COUNTERS as readonly string[]).includes(b.metric) && b.at === NOW)).toBe(true);
        for (const s of ["mail", "wait", "pro", "tag"]) {
          const rows = p.journal.filter((j) => j.step_id === s);
          const woke = p.delaysEnded.filter((g) => g.step_id === s).flatMap((g) => g.runIds);
          expect(n("entered", s)).toBe(rows.length);
          expect(n("completed", s)).toBe(rows.filter((j) => j.completed_at !== null).length + woke.length);
        }
        expect(n("email:skipped")).toBe(p.messages.filter((m) => m.status === "skipped").length);
        expect(p.messages.length).toBe(p.journal.filter((j) => j.outcome === "queued" || j.outcome === "skipped").length);
        const ended = p.advances.filter((a) => a.status !== "active");
        expect(p.bumps.filter((b) => b.step_id === "" && b.metric !== "abandoned").length).toBe(ended.length);
        for (const a of p.advances) {
          expect(p.next.get(a.id)?.done).toBe(a.release);
          expect(a.finished_at === null).toBe(a.status === "active");
          expect(a.exit_reason === null).toBe(a.status !== "exited");
        }
      }),
    );
  });
});
