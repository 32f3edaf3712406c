import type { Comparison, Metric, Target } from "./scenario.ts";

export interface Summary {
  name: string;
  unit: string;
  better: "higher" | "lower";
  target?: Target;
  compare?: readonly Comparison[];
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The p-th percentile (nearest rank) of ascending `sorted` values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Folds the runs' metrics by name, keeping the order the scenario reported them in. */
export function summarize(runs: readonly Metric[][]): Summary[] {
  const byName = new Map<string, Summary>();
  for (const run of runs) {
    for (const m of run) {
      const s = byName.get(m.name) ?? {
        name: m.name,
        unit: m.unit,
        better: m.better,
        target: m.target,
        compare: m.compare,
        median: 0,
        min: 0,
        max: 0,
        values: [],
      };
      s.values.push(m.value);
      byName.set(m.name, s);
    }
  }
  return [...byName.values()].map((s) => ({ ...s, median: median(s.values), min: Math.min(...s.values), max: Math.max(...s.values) }));
}

/** Three significant figures at most: run-to-run noise on a shared machine exceeds that. */
export function fmt(n: number): string {
  if (n >= 1000) return Math.round(n).toLocaleString("en-US");
  if (Number.isInteger(n)) return String(n);
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}
