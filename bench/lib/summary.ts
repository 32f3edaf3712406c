import type { Comparison, Target } from "./scenario.ts";
import { fmt, type Summary, table } from "./stats.ts";
import { STORE_KINDS, type StoreKind } from "./stores.ts";

/** What the runner keeps per scenario and store. */
export interface StoreResult {
  scenario: string;
  store: StoreKind;
  summary: Summary[];
  error?: string;
}

interface Cell {
  median: number;
  min: number;
  max: number;
  runs: number;
}

interface ComparedRow {
  kind: Comparison["kind"];
  scenario: string;
  metric: string;
  target?: Target;
  /** The other figure's median and this figure's median over it, per store. */
  byStore: Partial<Record<StoreKind, { other: number; ratio: number }>>;
}

/** One line of the summary: a figure of a scenario, every store side by side. */
export interface SummaryRow {
  scenario: string;
  figure: string;
  unit: string;
  target?: Target;
  byStore: Partial<Record<StoreKind, Cell>>;
  compared: ComparedRow[];
  /** Per goal (the figure's, then each ratio's) and store it is set for: met or not; absent when not measured. */
  met: { goal: string; store: StoreKind; met: boolean }[];
  errors: Partial<Record<StoreKind, string>>;
}

const STORE_LABEL: Record<StoreKind, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };
const OP_LABEL: Record<Target["op"], string> = { ">=": "≥", "<=": "≤", "<": "<" };

function meets(t: Target, v: number): boolean {
  return t.op === ">=" ? v >= t.value : t.op === "<=" ? v <= t.value : v < t.value;
}

function appliesTo(t: Target, store: StoreKind): boolean {
  return t.stores === undefined || t.stores.includes(store);
}

function describeTarget(t: Target, unit: string): string {
  return `${OP_LABEL[t.op]} ${fmt(t.value)}${unit ? ` ${unit}` : ""}${t.stores ? ` (${t.stores.map((s) => STORE_LABEL[s]).join(", ")})` : ""}`;
}

/** Folds the per-store results into one row per figure, with its comparisons and goals resolved. */
export function summaryRows(results: readonly StoreResult[], stores: readonly StoreKind[]): SummaryRow[] {
  const find = (scenario: string, metric: string, store: StoreKind) =>
    results.find((r) => r.scenario === scenario && r.store === store)?.summary.find((s) => s.name === metric);
  const rows = new Map<string, SummaryRow>();
  for (const r of results) {
    for (const s of r.summary) {
      const key = `${r.scenario}\u0000${s.name}`;
      const row = rows.get(key) ?? {
        scenario: r.scenario,
        figure: s.name,
        unit: s.unit,
        target: s.target,
        byStore: {},
        compared: [],
        met: [],
        errors: {},
      };
      row.byStore[r.store] = { median: s.median, min: s.min, max: s.max, runs: s.values.length };
      for (const c of s.compare ?? []) {
        const scenario = c.scenario ?? r.scenario;
        let cr = row.compared.find((x) => x.scenario === scenario && x.metric === c.metric);
        if (!cr) {
          cr = { kind: c.kind, scenario, metric: c.metric, target: c.target, byStore: {} };
          row.compared.push(cr);
        }
        const other = find(scenario, c.metric, r.store);
        if (other) cr.byStore[r.store] = { other: other.median, ratio: s.median / other.median };
      }
      rows.set(key, row);
    }
    if (r.error) {
      const key = `${r.scenario}\u0000FAILED`;
      const row = rows.get(key) ?? { scenario: r.scenario, figure: "FAILED", unit: "", byStore: {}, compared: [], met: [], errors: {} };
      row.errors[r.store] = r.error.split("\n")[0]!;
      rows.set(key, row);
    }
  }
  for (const row of rows.values()) {
    for (const store of stores) {
      const cell = row.byStore[store];
      if (row.target && cell && appliesTo(row.target, store)) row.met.push({ goal: "figure", store, met: meets(row.target, cell.median) });
      for (const c of row.compared) {
        const got = c.byStore[store];
        if (c.target && got && appliesTo(c.target, store))
          row.met.push({ goal: `${c.kind} ratio`, store, met: meets(c.target, got.ratio) });
      }
    }
  }
  return [...rows.values()];
}

/**
 * The table the runner prints: scenario, figure, each store's median (min–max), the peer or
 * ceiling figure, the ratio, the goal and whether the median meets it. Both store columns are
 * always there; comparisons list only the `stores` measured.
 */
export function summaryTable(rows: readonly SummaryRow[], stores: readonly StoreKind[]): string {
  // With one store measured, per-store prefixes in the comparison cells would only be noise.
  const tag = (store: StoreKind) => (stores.length > 1 ? `${store === "sqlite" ? "S" : "P"} ` : "");
  const body = rows.map((row) => {
    const cells = STORE_KINDS.map((store) => {
      if (row.errors[store]) return `FAILED: ${row.errors[store]}`;
      const c = row.byStore[store];
      if (!c) return "—";
      return c.runs > 1 ? `${fmt(c.median)} (${fmt(c.min)}–${fmt(c.max)})` : fmt(c.median);
    });
    const other = row.compared.map((c) => {
      const values = stores.map((s) => (c.byStore[s] ? `${tag(s)}${fmt(c.byStore[s]!.other)}` : `${tag(s)}—`)).join(" · ");
      return `${c.scenario === row.scenario ? "" : `${c.scenario}/`}${c.metric}: ${values}`;
    });
    const ratios = row.compared.map((c) =>
      stores.map((s) => (c.byStore[s] ? `${tag(s)}${c.byStore[s]!.ratio.toFixed(2)}×` : `${tag(s)}—`)).join(" · "),
    );
    const goals = [
      ...(row.target ? [describeTarget(row.target, row.unit)] : []),
      ...row.compared.filter((c) => c.target).map((c) => `${c.kind} ratio ${describeTarget(c.target!, "")}`),
    ];
    const met = row.met.map((m) => `${m.goal === "figure" ? "" : `${m.goal} `}${STORE_LABEL[m.store]} ${m.met ? "yes" : "NO"}`);
    return [
      row.scenario,
      `${row.figure}${row.unit ? ` [${row.unit}]` : ""}`,
      ...cells,
      other.join("; "),
      ratios.join("; "),
      goals.join("; "),
      met.join(", "),
    ];
  });
  return table(
    ["scenario", "figure", ...STORE_KINDS.map((s) => `${STORE_LABEL[s]} median (min–max)`), "peer / ceiling", "ratio", "target", "met?"],
    body,
  );
}
