import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AppliedChange,
  applyContactChange,
  type ContactChange,
  type ContactState,
  foldChanges,
} from "../../src/core/contacts/contact-change.ts";
import type { FieldValue } from "../../src/core/contacts/field-value.ts";

const tags = new Map([
  [1, "plan"],
  [2, "age"],
]);

const lists = fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 4 });
// As every caller accepts them: no list both included and excluded by one change.
const change: fc.Arbitrary<ContactChange> = fc
  .record(
    {
      fields: fc
        .array(
          fc.tuple(fc.constantFrom(1, 2), fc.oneof(fc.constantFrom("free", "pro"), fc.integer({ min: 0, max: 3 }), fc.constant(null))),
          { maxLength: 2 },
        )
        .map((kv) => new Map(kv)),
      listsIncluded: lists,
      listsExcluded: lists,
      unsubscribed: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .map((c) => ({ ...c, ...(c.listsExcluded ? { listsExcluded: c.listsExcluded.filter((l) => !c.listsIncluded?.includes(l)) } : {}) }));
const state: fc.Arbitrary<ContactState> = fc.record({
  id: fc.constant("c1"),
  email: fc.constant("ann@example.com"),
  status: fc.constantFrom("subscribed" as const, "unsubscribed" as const),
  fields: fc.constantFrom<Record<string, FieldValue>[]>({}, { "1": "free" }, { "1": "pro", "2": 2 }),
  listIds: lists.map((l) => [...l].sort((a, b) => a - b)),
});

/** The changes applied in turn, folded as the contact writer folds them. */
function foldAll(before: ContactState | null, changes: ContactChange[]): { steps: AppliedChange[]; folded: AppliedChange } {
  const first = before
    ? applyContactChange(before, null, changes[0]!, tags)
    : applyContactChange(null, { id: "c1", email: "ann@example.com", status: "subscribed" }, changes[0]!, tags);
  const steps = [first];
  let folded = first;
  for (const c of changes.slice(1)) {
    const next = applyContactChange(folded.after, null, c, tags);
    steps.push(next);
    folded = foldChanges(before, folded, next);
  }
  return { steps, folded };
}

describe("foldChanges", () => {
  it("one write of many changes leaves the contact as the changes applied in turn, with all their events in order", () => {
    fc.assert(
      fc.property(fc.option(state, { nil: null }), fc.array(change, { minLength: 1, maxLength: 5 }), (before, changes) => {
        const { steps, folded } = foldAll(before, changes);
        expect(folded.after).toEqual(steps[steps.length - 1]!.after);
        expect(folded.events).toEqual(steps.flatMap((s) => s.events));
        expect(folded.rowChanged).toBe(steps.some((s) => s.rowChanged));
        // The memberships written turn the lists as read into the lists after.
        const written = new Set([...(before?.listIds ?? []).filter((l) => !folded.removed.includes(l)), ...folded.added]);
        expect([...written].sort((a, b) => a - b)).toEqual(folded.after.listIds);
        expect(folded.added.filter((l) => folded.removed.includes(l))).toEqual([]);
      }),
    );
  });

  it("a list joined then left in one write is neither added nor removed, and both events stay", () => {
    const before: ContactState = { id: "c1", email: "ann@example.com", status: "subscribed", fields: {}, listIds: [] };
    const { folded } = foldAll(before, [{ listsIncluded: [4] }, { listsExcluded: [4] }]);
    expect(folded).toMatchObject({ added: [], removed: [], rowChanged: false });
    expect(folded.events.map((e) => e.type)).toEqual(["contact_added_to_list", "contact_removed_from_list"]);
  });
});
