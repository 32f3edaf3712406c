import { describe, expect, it } from "vitest";
import type { ContactField } from "../../web/src/api/contacts.ts";
import { buildContacts, chunk, guessTargets } from "../../web/src/lib/import-rows.ts";

const fields: ContactField[] = [
  { id: 1, name: "Plan", data_type: "text", merge_tag: "plan" },
  { id: 2, name: "Seats", data_type: "integer", merge_tag: "seats" },
  { id: 3, name: "Beta user", data_type: "boolean", merge_tag: "beta" },
];

describe("mapping CSV rows to the import API", () => {
  it("guesses the email column and fields by name or merge tag", () => {
    expect(guessTargets(["E-mail", "PLAN", "seats", "Beta user", "notes"], fields)).toEqual([
      { kind: "email" },
      { kind: "field", mergeTag: "plan" },
      { kind: "field", mergeTag: "seats" },
      { kind: "field", mergeTag: "beta" },
      { kind: "skip" },
    ]);
  });

  it("types values, leaves empty cells unset, counts rows without an email and adds the chosen lists", () => {
    const targets = guessTargets(["email", "plan", "seats", "beta"], fields);
    const rows = [
      ["a@x.io", "pro", "3", "true"],
      ["", "free", "1", ""],
      ["b@x.io", "", "", ""],
    ];
    expect(buildContacts(rows, targets, fields, [7])).toEqual({
      contacts: [
        { email: "a@x.io", fields: { plan: "pro", seats: 3, beta: true }, list_ids_included: [7] },
        { email: "b@x.io", list_ids_included: [7] },
      ],
      withoutEmail: 1,
    });
  });

  it("cuts the contacts into request-sized chunks, in order", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
