import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvError, detectDelimiter, parseCsv } from "../../web/src/lib/csv.ts";

describe("the import page's CSV parser", () => {
  it("splits plain records on commas and line breaks of any style", () => {
    expect(parseCsv("email,plan\r\na@x.io,pro\nb@x.io,free\rc@x.io,\n")).toEqual([
      ["email", "plan"],
      ["a@x.io", "pro"],
      ["b@x.io", "free"],
      ["c@x.io", ""],
    ]);
  });

  it("keeps delimiters, line breaks and doubled quotes inside quoted fields", () => {
    expect(parseCsv('name,note\n"Smith, Jane","said ""hi""\nthen left"\n')).toEqual([
      ["name", "note"],
      ["Smith, Jane", 'said "hi"\nthen left'],
    ]);
  });

  it("drops a byte-order mark and skips blank lines", () => {
    expect(parseCsv("\uFEFFemail\n\na@x.io\n\n")).toEqual([["email"], ["a@x.io"]]);
  });

  it("keeps empty quoted fields and a last record without a line break", () => {
    expect(parseCsv('a,"",c\n"x",y,""')).toEqual([
      ["a", "", "c"],
      ["x", "y", ""],
    ]);
  });

  it("guesses semicolons and tabs from the header, ignoring quoted ones", () => {
    expect(detectDelimiter('"a,b";c;d\n1;2;3')).toBe(";");
    expect(detectDelimiter("a\tb\n1\t2")).toBe("\t");
    expect(detectDelimiter("email\n")).toBe(",");
    expect(parseCsv("email;plan\na@x.io;pro")).toEqual([
      ["email", "plan"],
      ["a@x.io", "pro"],
    ]);
  });

  it("names the line of an unclosed quote or text after a closing quote", () => {
    expect(() => parseCsv('email\n"a@x.io\n')).toThrow(new CsvError("Line 3: a quoted field is never closed"));
    expect(() => parseCsv('email\n"a"b\n')).toThrow(/Line 2: unexpected character/);
  });

  it("reads back any table that is written with RFC 4180 quoting", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", "é") });
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, (rows) => {
        const text = rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(",")).join("\r\n");
        expect(parseCsv(text, ",")).toEqual(rows);
      }),
    );
  });
});
