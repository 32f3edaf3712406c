import fc from "fast-check";
import type { Definition, Step, StepType } from "../../src/core/flow/schema.ts";
import type { Catalog } from "../../src/core/flow/validate.ts";

/** What the generated definitions reference: every one of them is valid against it. */
export const CATALOG: Catalog = {
  lists: new Set([1, 2]),
  fields: new Map([["plan", "text"]]),
  templates: new Set([7]),
};

type Item = { kind: "action"; type: Exclude<StepType, "condition"> } | { kind: "condition"; yes: Item[]; no: Item[]; yesEnds: boolean };

const ACTIONS = ["send_email", "update_field", "add_to_lists", "remove_from_lists", "unsubscribe", "delay"] as const;

const itemArb: fc.Arbitrary<Item[]> = fc.letrec<{ chain: Item[]; item: Item }>((tie) => ({
  chain: fc.array(tie("item"), { maxLength: 4 }),
  item: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ kind: fc.constant("action" as const), type: fc.constantFrom(...ACTIONS) }),
    fc.record({ kind: fc.constant("condition" as const), yes: tie("chain"), no: tie("chain"), yesEnds: fc.boolean() }),
  ),
})).chain;

/** A step with complete config, so `validateDefinition` has nothing to say about it. */
export function completeStep(id: string, type: StepType): Step {
  switch (type) {
    case "send_email":
      return { id, type, email: { template_id: 7 } };
    case "update_field":
      return { id, type, field: "plan", value: "pro" };
    case "add_to_lists":
      return { id, type, list_ids: [1] };
    case "remove_from_lists":
      return { id, type, list_ids: [2] };
    case "unsubscribe":
      return { id, type };
    case "delay":
      return { id, type, amount: 2, unit: "days" };
    case "condition":
      return { id, type, match: "all", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }] };
  }
}

/** The step with its references set (`next`, or a condition's `yes` / `no`). */
function linked(step: Step, refs: { next?: string | null; yes?: string | null; no?: string | null }): Step {
  return { ...step, ...refs } as Step;
}

/** Deterministic shuffle, so the stored array order never follows the flow. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Valid definitions of every shape the builder makes: chains, conditions with steps or
 * nothing on each branch, branches that rejoin, nested conditions; the steps array in
 * random order, ids in several styles. With `earlyEnds`, also what only the API makes: a
 * Yes branch that ends while No goes on to steps other paths join as well.
 */
export function validDefinition({ earlyEnds }: { earlyEnds: boolean }): fc.Arbitrary<Definition> {
  return fc
    .record({ items: itemArb, prefix: fc.constantFrom("s", "step_", "n"), seed: fc.integer(), reentry: fc.integer({ min: 0, max: 100 }) })
    .map(({ items, prefix, seed, reentry }) => {
      const steps: Step[] = [];
      let n = 0;
      const build = (chain: Item[], then: string | null): string | null => {
        let next = then;
        for (const item of [...chain].reverse()) {
          const id = `${prefix}${++n}`;
          if (item.kind === "action") {
            steps.push(linked(completeStep(id, item.type), { next }));
          } else {
            const no = build(item.no, next);
            // Every No branch reaches the continuation, so a Yes branch may end early.
            steps.push(linked(completeStep(id, "condition"), { yes: build(item.yes, earlyEnds && item.yesEnds ? null : next), no }));
          }
          next = id;
        }
        return next;
      };
      const entry = build(items, null);
      return {
        name: "Generated",
        trigger: { type: "contact_created" },
        entry_step_id: entry,
        steps: shuffle(steps, seed),
        settings: { reentry_hours: reentry },
      };
    });
}

/**
 * Anything a draft may hold: references to any step (cycles, joins from anywhere, steps
 * nothing reaches), to nothing, or — when `dangling` — to ids that do not exist, and ids
 * used twice when `duplicates`.
 */
export function draftDefinition(opts: { dangling: boolean; duplicates: boolean }): fc.Arbitrary<Definition> {
  return fc.integer({ min: 0, max: 14 }).chain((count) => {
    const ids = Array.from({ length: count }, (_, i) => `s${i + 1}`);
    const pool = opts.duplicates ? fc.constantFrom(...ids, "s1") : fc.constant("");
    const ref = fc.oneof(
      fc.constant(null),
      ...(count > 0 ? [fc.constantFrom(...ids)] : []),
      ...(opts.dangling ? [fc.constant("ghost")] : []),
    );
    const step = (id: string) =>
      fc
        .record({ type: fc.constantFrom<StepType>(...ACTIONS, "condition"), next: ref, yes: ref, no: ref, dup: pool })
        .map(({ type, next, yes, no, dup }): Step => {
          const base = completeStep(opts.duplicates && dup !== "" ? dup : id, type);
          return type === "condition" ? linked(base, { yes, no }) : linked(base, { next });
        });
    return fc.record({ steps: fc.tuple(...ids.map(step)), entry: ref }).map(({ steps, entry }): Definition => ({
      name: "Draft",
      trigger: { type: "contact_created" },
      entry_step_id: entry,
      steps,
      settings: {},
    }));
  });
}
