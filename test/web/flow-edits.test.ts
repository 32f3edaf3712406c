import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STEP_TYPES, type Definition, type Step } from "../../src/core/flow/schema.ts";
import { validateDefinition } from "../../src/core/flow/validate.ts";
import { deleteStep } from "../../web/src/flow-builder/model/delete-step.ts";
import { insertStep } from "../../web/src/flow-builder/model/insert-step.ts";
import { canMoveStep, moveStep } from "../../web/src/flow-builder/model/move-step.ts";
import { freshStepId, portsOf, reachableIds, type RefAt } from "../../web/src/flow-builder/model/refs.ts";
import { CATALOG, completeStep, validDefinition } from "./flow-arbitraries.ts";

/** The structure rules of src/core/flow/validate.ts; a new step's unfinished config is not one. */
const STRUCTURE =
  /Two steps have the id|leads to a step that does not exist|round in a loop|cannot be reached|has no steps|does not lead to any step/;

function structureIssues(def: Definition): string[] {
  return validateDefinition(def, CATALOG)
    .map((i) => i.message)
    .filter((m) => STRUCTURE.test(m));
}

/** Every arrow of a definition: after the trigger and each port of each step. */
function arrows(def: Definition): RefAt[] {
  return [{ source: "trigger", port: "entry" }, ...def.steps.flatMap((s) => portsOf(s).map((port) => ({ source: s.id, port })))];
}

const pick = <T>(items: readonly T[]) => fc.nat().map((n) => items[n % items.length]!);
const withArrow = validDefinition({ earlyEnds: true }).chain((def) => fc.tuple(fc.constant(def), pick(arrows(def))));
const withStep = validDefinition({ earlyEnds: true })
  .filter((def) => def.steps.length > 0)
  .chain((def) => fc.tuple(fc.constant(def), pick(def.steps)));

/** `next: undefined` and `next: null` mean the same; compare definitions by meaning. */
function normalized(def: Definition): Definition {
  return { ...def, steps: def.steps.map((s): Step => (s.type === "condition" ? s : { ...s, next: s.next ?? null })) };
}

describe("inserting a step", () => {
  it("puts a step of any type on any arrow, reachable, with a fresh id; the only issues are the new step's config", () => {
    fc.assert(
      fc.property(withArrow, fc.constantFrom(...STEP_TYPES), ([def, at], type) => {
        const { definition, id } = insertStep(def, at, type);
        expect(def.steps.some((s) => s.id === id)).toBe(false);
        expect(definition.steps).toHaveLength(def.steps.length + 1);
        expect(structureIssues(definition)).toEqual([]);
        expect(reachableIds(definition).has(id)).toBe(true);
        expect(validateDefinition(definition, CATALOG).filter((i) => i.step_id !== id)).toEqual([]);
        // Once configured, the automation is valid again.
        const configured = definition.steps.map((s) => (s.id === id ? { ...completeStep(id, type), ...pickRefs(s) } : s));
        expect(validateDefinition({ ...definition, steps: configured }, CATALOG)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("leads the arrow to the new step, which leads where the arrow led (a condition on both branches)", () => {
    const def: Definition = {
      name: "x",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: [{ id: "s1", type: "unsubscribe", next: null }],
    };
    const first = insertStep(def, { source: "trigger", port: "entry" }, "delay");
    expect(first.id).toBe("s2");
    expect(first.definition.entry_step_id).toBe("s2");
    expect(first.definition.steps.find((s) => s.id === "s2")).toMatchObject({ type: "delay", amount: 1, unit: "days", next: "s1" });
    const second = insertStep(first.definition, { source: "s2", port: "next" }, "condition");
    expect(second.definition.steps.find((s) => s.id === "s3")).toMatchObject({ type: "condition", yes: "s1", no: "s1" });
    const third = insertStep(second.definition, { source: "s3", port: "no" }, "send_email");
    expect(third.definition.steps.find((s) => s.id === "s3")).toMatchObject({ yes: "s1", no: "s4" });
    expect(third.definition.steps.find((s) => s.id === "s4")).toMatchObject({ next: "s1" });
  });

  it("never reuses an id, whatever ids are in use", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom("s1", "s2", "s10", "s999999999", "s01"), fc.string({ maxLength: 4 })), { maxLength: 20 }),
        (ids) => {
          const def: Definition = {
            name: "x",
            trigger: { type: "contact_created" },
            steps: ids.map((id) => ({ id, type: "unsubscribe" })),
          };
          expect(ids).not.toContain(freshStepId(def));
        },
      ),
    );
  });
});

function pickRefs(s: Step): Partial<Step> {
  return s.type === "condition" ? { yes: s.yes ?? null, no: s.no ?? null } : { next: s.next ?? null };
}

describe("deleting a step", () => {
  it("keeps a valid automation valid: what led to the step leads to its successor, the dropped branch goes with it", () => {
    fc.assert(
      fc.property(withStep, fc.constantFrom("yes" as const, "no" as const), ([def, step], keep) => {
        const after = deleteStep(def, step.id, keep);
        expect(after.steps.some((s) => s.id === step.id)).toBe(false);
        if (after.steps.length === 0) {
          expect(after.entry_step_id).toBeNull();
          return;
        }
        expect(validateDefinition(after, CATALOG)).toEqual([]);
        const successor = (step.type === "condition" ? step[keep] : step.next) ?? null;
        if (successor !== null) expect(after.steps.some((s) => s.id === successor)).toBe(true);
        // Only steps that nothing reaches any more are dropped.
        const dropped = def.steps.filter((s) => !after.steps.some((a) => a.id === s.id)).map((s) => s.id);
        for (const id of dropped) if (id !== step.id) expect(reachableIds(redirected(def, step.id, successor)).has(id)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("reconnects the successor of a plain step", () => {
    const def: Definition = {
      name: "x",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: [
        { id: "s1", type: "delay", amount: 1, unit: "days", next: "s2" },
        { id: "s2", type: "unsubscribe", next: null },
      ],
    };
    expect(deleteStep(def, "s1")).toEqual({ ...def, entry_step_id: "s2", steps: [def.steps[1]] });
  });
});

/** The definition with every reference to `id` sent to `to` and the step gone. */
function redirected(def: Definition, id: string, to: string | null): Definition {
  const swap = (r: string | null | undefined) => (r === id ? to : r);
  return {
    ...def,
    entry_step_id: swap(def.entry_step_id),
    steps: def.steps
      .filter((s) => s.id !== id)
      .map((s) => (s.type === "condition" ? { ...s, yes: swap(s.yes), no: swap(s.no) } : { ...s, next: swap(s.next) })),
  };
}

describe("moving a step", () => {
  it("keeps a valid automation valid and the same steps, and moving back restores it", () => {
    fc.assert(
      fc.property(withStep, fc.constantFrom("up" as const, "down" as const), ([def, step], direction) => {
        const moved = moveStep(def, step.id, direction);
        if (!canMoveStep(def, step.id, direction)) {
          expect(moved).toBe(def);
          return;
        }
        expect(validateDefinition(moved, CATALOG)).toEqual([]);
        expect(moved.steps.map((s) => s.id).sort()).toEqual(def.steps.map((s) => s.id).sort());
        expect(moved).not.toEqual(def);
        expect(normalized(moveStep(moved, step.id, direction === "up" ? "down" : "up"))).toEqual(normalized(def));
      }),
      { numRuns: 300 },
    );
  });

  it("swaps a step with the one before it in its chain, and refuses conditions and chain ends", () => {
    const def: Definition = {
      name: "x",
      trigger: { type: "contact_created" },
      entry_step_id: "s1",
      steps: [
        { id: "s1", type: "send_email", email: { template_id: 7 }, next: "s2" },
        { id: "s2", type: "delay", amount: 2, unit: "days", next: "s3" },
        { id: "s3", type: "condition", match: "all", rules: [], yes: null, no: null },
      ],
    };
    const moved = moveStep(def, "s2", "up");
    expect(moved.entry_step_id).toBe("s2");
    const nextOfId = (id: string) => {
      const step = moved.steps.find((s) => s.id === id);
      return step && "next" in step ? step.next : undefined;
    };
    expect(nextOfId("s2")).toBe("s1");
    expect(nextOfId("s1")).toBe("s3");
    expect(canMoveStep(def, "s1", "up")).toBe(false);
    expect(canMoveStep(def, "s2", "down")).toBe(false);
    expect(canMoveStep(def, "s3", "up")).toBe(false);
  });
});
