import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyContactChange, type ContactState } from "../../src/core/contacts/contact-change.ts";

const tags = new Map([
  [1, "plan"],
  [2, "age"],
]);
const ann: ContactState = { id: "c1", email: "ann@example.com", status: "subscribed", fields: { "1": "free" }, listIds: [3] };

describe("applyContactChange", () => {
  it("a new contact fires contact_created and one event per list, no field events", () => {
    const r = applyContactChange(
      null,
      { id: "c2", email: "b@example.com", status: "subscribed" },
      { fields: new Map([[1, "pro"]]), listsIncluded: [4, 5] },
      tags,
    );
    expect(r.events).toEqual([
      { type: "contact_created", contactId: "c2" },
      { type: "contact_added_to_list", contactId: "c2", listId: 4 },
      { type: "contact_added_to_list", contactId: "c2", listId: 5 },
    ]);
    expect(r.after).toEqual({ id: "c2", email: "b@example.com", status: "subscribed", fields: { "1": "pro" }, listIds: [4, 5] });
  });

  it("a field set to its current value, or a list the contact is in, fires nothing", () => {
    const r = applyContactChange(
      ann,
      null,
      { fields: new Map([[1, "free"]]), listsIncluded: [3], listsExcluded: [9], unsubscribed: false },
      tags,
    );
    expect(r.events).toEqual([]);
    expect(r.rowChanged).toBe(false);
    expect(r.after).toEqual(ann);
  });

  it("each really changed field fires one event with old and new value; fields merge", () => {
    const r = applyContactChange(
      ann,
      null,
      {
        fields: new Map<number, string | number | null>([
          [1, "pro"],
          [2, 30],
        ]),
      },
      tags,
    );
    expect(r.events).toEqual([
      { type: "contact_field_updated", contactId: "c1", fieldId: 1, mergeTag: "plan", from: "free", to: "pro" },
      { type: "contact_field_updated", contactId: "c1", fieldId: 2, mergeTag: "age", from: null, to: 30 },
    ]);
    expect(r.after.fields).toEqual({ "1": "pro", "2": 30 });
  });

  it("null clears a value and says so", () => {
    const r = applyContactChange(ann, null, { fields: new Map([[1, null]]) }, tags);
    expect(r.after.fields).toEqual({});
    expect(r.events).toEqual([{ type: "contact_field_updated", contactId: "c1", fieldId: 1, mergeTag: "plan", from: "free", to: null }]);
  });

  it("unsubscribing and resubscribing fire their events", () => {
    const off = applyContactChange(ann, null, { unsubscribed: true }, tags);
    expect(off.events).toEqual([{ type: "contact_unsubscribed", contactId: "c1" }]);
    const on = applyContactChange(off.after, null, { unsubscribed: false }, tags);
    expect(on.events).toEqual([{ type: "contact_subscribed", contactId: "c1" }]);
  });

  it("applying the same change twice fires events only the first time (property)", () => {
    const change = fc.record({
      fields: fc.array(fc.tuple(fc.constantFrom(1, 2), fc.oneof(fc.string(), fc.integer(), fc.constant(null)))),
      listsIncluded: fc.array(fc.integer({ min: 1, max: 6 })),
      listsExcluded: fc.array(fc.integer({ min: 7, max: 9 })),
      unsubscribed: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(change, (c) => {
        const asChange = { ...c, fields: new Map(c.fields) };
        const once = applyContactChange(ann, null, asChange, tags);
        const twice = applyContactChange(once.after, null, asChange, tags);
        expect(twice.events).toEqual([]);
        expect(twice.after).toEqual(once.after);
        expect(once.after.listIds).toEqual([...once.after.listIds].sort((a, b) => a - b));
      }),
    );
  });
});
