import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFieldValue, sameFieldValue } from "../../src/core/contacts/field-value.ts";
import { emailProblem, normalizeEmail } from "../../src/core/contacts/email.ts";

describe("parseFieldValue", () => {
  it.each([
    ["text", "hello", "hello"],
    ["text", 12, "12"],
    ["text", true, "true"],
    ["integer", 42, 42],
    ["integer", "-7", -7],
    ["float", 1.5, 1.5],
    ["float", "2.25", 2.25],
    ["float", 3, 3],
    ["boolean", false, false],
    ["boolean", "true", true],
    ["date", "2024-02-29", "2024-02-29"],
    ["date", "2024-03-01T10:00:00Z", "2024-03-01"],
  ] as const)("accepts %s %j as %j", (type, input, stored) => {
    expect(parseFieldValue(type, input)).toEqual({ ok: true, value: stored });
  });

  it.each([
    ["text", { a: 1 }],
    ["text", "x".repeat(256)],
    ["integer", 1.5],
    ["integer", "1.5"],
    ["integer", 2 ** 60],
    ["integer", true],
    ["float", "abc"],
    ["float", Number.NaN],
    ["float", Number.POSITIVE_INFINITY],
    ["boolean", "yes"],
    ["boolean", 1],
    ["date", "2023-02-29"],
    ["date", "2024-13-01"],
    ["date", "yesterday"],
    ["date", 20240101],
  ] as const)("refuses %s %j", (type, input) => {
    expect(parseFieldValue(type, input).ok).toBe(false);
  });

  it("null clears a value of every type", () => {
    for (const type of ["text", "integer", "float", "boolean", "date"] as const) {
      expect(parseFieldValue(type, null)).toEqual({ ok: true, value: null });
    }
  });

  it("every accepted integer round-trips through its string form", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(parseFieldValue("integer", String(n))).toEqual({ ok: true, value: n });
      }),
    );
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.constantFrom("text", "integer", "float", "boolean", "date" as const), fc.anything(), (type, input) => {
        const r = parseFieldValue(type, input);
        expect(typeof r.ok).toBe("boolean");
      }),
    );
  });

  it("treats a missing value and null as the same", () => {
    expect(sameFieldValue(undefined, null)).toBe(true);
    expect(sameFieldValue(1, 1)).toBe(true);
    expect(sameFieldValue(1, "1")).toBe(false);
  });
});

describe("email", () => {
  it("normalises case and whitespace", () => {
    expect(normalizeEmail("  John.Smith@Example.COM ")).toBe("john.smith@example.com");
  });
  it.each(["a@example.com", "first.last+tag@sub.example.co.uk", "o'neil@example.org"])("accepts %s", (e) => {
    expect(emailProblem(e)).toBeNull();
  });
  it.each([
    ["", "can't be blank"],
    ["plain", "is invalid"],
    ["a@b", "is invalid"],
    ["a..b@example.com", "is invalid"],
    ["a b@example.com", "is invalid"],
    ["a@example.c", "is invalid"],
    [`${"x".repeat(65)}@example.com`, "is invalid"],
  ])("refuses %j", (e, msg) => {
    expect(emailProblem(e)).toBe(msg);
  });
});
