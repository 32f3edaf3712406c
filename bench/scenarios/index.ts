import type { Scenario } from "../lib/scenario.ts";
import { emailScenario } from "./email.ts";
import { engineScenario } from "./engine.ts";
import { importScenario } from "./import.ts";
import { ingestScenario } from "./ingest.ts";
import { latencyScenario } from "./latency.ts";
import { peersScenario } from "./peers.ts";
import { reportsScenario } from "./reports.ts";
import { scaleScenario } from "./scale.ts";
import { timersScenario } from "./timers.ts";

/** Every scenario `npm run bench -- <name>` knows; a new one is a file here and a line below. */
export const SCENARIOS: readonly Scenario[] = [
  ingestScenario,
  importScenario,
  engineScenario,
  timersScenario,
  latencyScenario,
  scaleScenario,
  reportsScenario,
  emailScenario,
  peersScenario,
];
