import type { ServerProcess } from "./server-process.ts";

/** One measured figure of one run. */
export interface Metric {
  name: string;
  unit: string;
  value: number;
  /** Which way is good, so the table can say it and later comparisons can flag regressions. */
  better: "higher" | "lower";
}

export interface ScenarioContext {
  server: ServerProcess;
  quick: boolean;
}

/**
 * A benchmark scenario: given a fresh server on a fresh database, does its work and returns
 * what it measured. Setup it needs (fields, lists) is its own business and is not timed.
 */
export interface Scenario {
  name: string;
  description: string;
  run(ctx: ScenarioContext): Promise<Metric[]>;
}
