import { stringify } from "csv-stringify/sync";

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with a
 * quote, so an exported address like `=HYPERLINK(…)` stays text (OWASP CSV injection).
 */
export function neutralizeCell(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return value;
  const s = String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return stringify([header.map(neutralizeCell), ...rows.map((r) => r.map(neutralizeCell))]);
}
