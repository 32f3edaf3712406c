import type { Scenario } from "../lib/scenario.ts";
import { importScenario } from "./import.ts";

/** Every scenario `npm run bench -- <name>` knows; a new one is a file here and a line below. */
export const SCENARIOS: readonly Scenario[] = [importScenario];
