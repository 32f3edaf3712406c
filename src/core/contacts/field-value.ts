/** Pure rules for contact field values: shared by the server and the web app. */

export type FieldDataType = "text" | "integer" | "float" | "boolean" | "date";
export const FIELD_DATA_TYPES: readonly FieldDataType[] = ["text", "integer", "float", "boolean", "date"];
export type FieldValue = string | number | boolean | null;

export const TEXT_MAX = 255;

export type Parsed = { ok: true; value: FieldValue } | { ok: false; message: string };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function isCalendarDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/**
 * Checks one incoming value against a field's type and returns its stored form.
 * `null` clears a value of any type. Integrations such as Zapier send everything as
 * strings, so a string that spells a value of the type exactly is accepted too.
 */
export function parseFieldValue(type: FieldDataType, input: unknown): Parsed {
  if (input === null) return { ok: true, value: null };
  const invalid: Parsed = { ok: false, message: "is invalid" };
  switch (type) {
    case "text": {
      if (typeof input === "number" && Number.isFinite(input)) input = String(input);
      if (typeof input === "boolean") input = String(input);
      if (typeof input !== "string") return invalid;
      if (input.length > TEXT_MAX) return { ok: false, message: `is too long (maximum is ${TEXT_MAX} characters)` };
      return { ok: true, value: input };
    }
    case "integer": {
      const n = typeof input === "string" && /^\s*-?\d+\s*$/.test(input) ? Number(input) : input;
      if (typeof n !== "number" || !Number.isSafeInteger(n)) return invalid;
      return { ok: true, value: n };
    }
    case "float": {
      const n = typeof input === "string" && /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(input) ? Number(input) : input;
      if (typeof n !== "number" || !Number.isFinite(n)) return invalid;
      return { ok: true, value: n };
    }
    case "boolean": {
      if (typeof input === "boolean") return { ok: true, value: input };
      if (input === "true" || input === "false") return { ok: true, value: input === "true" };
      return invalid;
    }
    case "date": {
      if (typeof input !== "string") return invalid;
      const m = DATE_RE.exec(input.trim());
      if (!m) return invalid;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (!isCalendarDate(y, mo, d)) return invalid;
      return { ok: true, value: `${m[1]}-${m[2]}-${m[3]}` };
    }
  }
}

/** Two stored values are the same when a trigger would see no change. */
export function sameFieldValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return (a ?? null) === (b ?? null);
}
