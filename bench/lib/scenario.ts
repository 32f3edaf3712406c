import type { ServerOptions, ServerProcess } from "./server-process.ts";
import type { FreshStore, StoreKind } from "./stores.ts";

/** A goal from the issues, judged on the median of the runs. */
export interface Target {
  op: ">=" | "<=" | "<";
  value: number;
  /** The stores the goal is set for (most are SQLite-only); all when absent. */
  stores?: readonly StoreKind[];
}

/**
 * Another figure this one is read against: a peer doing the same work (BullMQ) or a
 * ceiling (the bare stack with nothing of Mailwright in it). The ratio printed is this
 * figure's median over the other's, per store.
 */
export interface Comparison {
  kind: "peer" | "ceiling";
  /** The scenario that measures the other figure; this metric's own scenario when absent. */
  scenario?: string;
  /** The other figure's metric name (names carry no input sizes, so quick and full runs match). */
  metric: string;
  /** A goal for the ratio itself, e.g. ≥ 0.4 of the ceiling. */
  target?: Target;
}

/** One measured figure of one run. */
export interface Metric {
  name: string;
  unit: string;
  value: number;
  /** Which way is good, so the table can say it and later comparisons can flag regressions. */
  better: "higher" | "lower";
  target?: Target;
  compare?: readonly Comparison[];
}

export interface ScenarioContext {
  server: ServerProcess;
  quick: boolean;
  /** The run's database (URL, kind), for read-only progress checks or direct seeding. */
  store: FreshStore;
  /** Starts another child on the same database (e.g. a `worker`); the runner stops it after the run. */
  spawn(opts: Pick<ServerOptions, "role" | "env">): Promise<ServerProcess>;
}

/**
 * A benchmark scenario: given a fresh server on a fresh database, does its work and returns
 * what it measured. Setup it needs (fields, lists) is its own business and is not timed.
 */
export interface Scenario {
  name: string;
  description: string;
  /** Extra MAILWRIGHT_* settings for the server child (e.g. the test clock). */
  env?: Record<string, string>;
  run(ctx: ScenarioContext): Promise<Metric[]>;
}
