import type { Scenario } from "../lib/scenario.ts";
import { emailScenario } from "./email.ts";
import { engineScenario } from "./engine.ts";
import { importScenario } from "./import.ts";
import { latencyScenario } from "./latency.ts";
import { scaleScenario } from "./scale.ts";
import { timersScenario } from "./timers.ts";

/** Every scenario `npm run bench -- <name>` knows; a new one is a file here and a line below. */
export const SCENARIOS: readonly Scenario[] = [importScenario, engineScenario, timersScenario, latencyScenario, scaleScenario, emailScenario];
