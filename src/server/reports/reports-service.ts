import type { Store } from "../db/connect.ts";
import { errors } from "../errors.ts";
import { counterRows } from "../db/counters.ts";
import { findAutomation, loadDefinition } from "../automations/automations-repo.ts";
import { type CounterName, countersWith, type CounterSuffix } from "../../core/engine/counter-names.ts";
import type { DailyFigures, EmailFigures, Report } from "../../core/reports/report-shape.ts";

type Counts = Map<string, number>; // metric → n
type Sums = Map<string, Counts>; // step_id ('' = automation) → metric → n

/** One counter's sum; names are typed, so a reader cannot ask for a counter nobody writes. */
function count(m: Counts | undefined, name: CounterName): number {
  return m?.get(name) ?? 0;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

/** The email figures of one step; rates are fractions 0..1 (docs/api.md defines each). */
export function emailFigures(m: Counts | undefined): EmailFigures {
  const get = (k: CounterSuffix<"email:">) => count(m, `email:${k}`);
  const sent = get("sent");
  const failed = get("failed");
  return {
    sent,
    failed,
    skipped: get("skipped"),
    unique_opens: get("unique_opens"),
    unique_clicks: get("unique_clicks"),
    unsubscribes: get("unsubscribes"),
    open_rate: ratio(get("unique_opens"), sent),
    click_rate: ratio(get("unique_clicks"), sent),
    delivery_rate: ratio(sent, sent + failed),
  };
}

/** The nonzero counters of one prefix, by what follows it (`exited:` → per exit reason). */
function byPrefix(m: Counts | undefined, prefix: "exited:" | "refused:"): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name, suffix } of countersWith(prefix)) {
    const n = count(m, name);
    if (n !== 0) out[suffix] = n;
  }
  return out;
}

/**
 * Reports read only the counters the engine, sender and tracking bump in the same
 * transactions as their facts: a few rows per step and day, never the runs themselves.
 */
export function reportsService(store: Store) {
  const { db } = store;

  async function load(accountId: number, automationId: number, from?: string, to?: string) {
    const auto = await findAutomation(db, accountId, automationId);
    if (!auto) throw errors.notFound();
    return { auto, rows: await counterRows(db, accountId, automationId, from, to) };
  }

  return {
    async report(accountId: number, automationId: number): Promise<Report> {
      const { auto, rows } = await load(accountId, automationId);
      const sums: Sums = new Map();
      for (const r of rows) {
        const m = sums.get(r.step_id) ?? new Map<string, number>();
        m.set(r.metric, (m.get(r.metric) ?? 0) + Number(r.n));
        sums.set(r.step_id, m);
      }
      const top = sums.get("");
      const exited = byPrefix(top, "exited:");
      const entered = count(top, "entered");
      const completed = count(top, "completed");
      const failed = count(top, "failed");
      const ended = completed + failed + Object.values(exited).reduce((a, b) => a + b, 0);
      const def = await loadDefinition(db, accountId, automationId, auto.version);
      // Steps of the current version first, in order; then steps only older versions had.
      const stepIds = [...def.steps.map((s) => s.id), ...[...sums.keys()].filter((id) => id !== "" && !def.steps.some((s) => s.id === id))];
      const steps = stepIds.map((id) => {
        const m = sums.get(id);
        const type = def.steps.find((s) => s.id === id)?.type ?? "removed";
        const stepEntered = count(m, "entered");
        const stepCompleted = count(m, "completed");
        return {
          step_id: id,
          type,
          entered: stepEntered,
          completed: stepCompleted,
          waiting: type === "delay" ? Math.max(0, stepEntered - stepCompleted - count(m, "abandoned")) : 0,
          ...(type === "send_email" ? { email: emailFigures(m) } : {}),
          ...(type === "condition" ? { branches: { yes: m?.get("branch:yes") ?? 0, no: m?.get("branch:no") ?? 0 } } : {}),
        };
      });
      return { entered, active: Math.max(0, entered - ended), completed, failed, exited, refused: byPrefix(top, "refused:"), steps };
    },

    /** The same figures per UTC day, for charts. */
    async daily(accountId: number, automationId: number, from?: string, to?: string): Promise<DailyFigures[]> {
      const { rows } = await load(accountId, automationId, from, to);
      const days = new Map<string, Map<string, Map<string, number>>>();
      for (const r of rows) {
        const day = days.get(r.day) ?? new Map<string, Map<string, number>>();
        const m = day.get(r.step_id) ?? new Map<string, number>();
        m.set(r.metric, (m.get(r.metric) ?? 0) + Number(r.n));
        day.set(r.step_id, m);
        days.set(r.day, day);
      }
      return [...days.keys()].sort().map((day) => {
        const d = days.get(day)!;
        const top = d.get("");
        return {
          day,
          entered: count(top, "entered"),
          completed: count(top, "completed"),
          failed: count(top, "failed"),
          exited: byPrefix(top, "exited:"),
          refused: byPrefix(top, "refused:"),
          steps: [...d.entries()]
            .filter(([id]) => id !== "")
            .map(([id, m]) => ({
              step_id: id,
              entered: count(m, "entered"),
              completed: count(m, "completed"),
              ...(countersWith("email:").some(({ name }) => m.has(name)) ? { email: emailFigures(m) } : {}),
            })),
        };
      });
    },
  };
}

export type ReportsService = ReturnType<typeof reportsService>;
