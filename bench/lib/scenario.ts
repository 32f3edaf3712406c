import type { ServerOptions, ServerProcess } from "./server-process.ts";
import type { FreshStore } from "./stores.ts";

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
