/** The report shapes, shared with the server, and how the Reports tab shows them. */
export type { DailyFigures, EmailFigures, Report, StepFigures } from "../../../../src/core/reports/report-shape.ts";

export function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

export function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
