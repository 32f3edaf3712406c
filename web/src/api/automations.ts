import type { Settings, Step, Trigger } from "../../../src/core/flow/schema.ts";

export type AutomationStatus = "draft" | "active" | "paused" | "disabled";

export interface Automation {
  id: number;
  name: string;
  status: AutomationStatus;
  version: number;
  trigger: Trigger;
  entry_step_id: string | null;
  steps: Step[];
  settings: Settings;
  created_at: string;
  updated_at: string;
}

export interface AutomationReport {
  entered: number;
  active: number;
  completed: number;
  failed?: number;
  exited: Record<string, number>;
  refused: Record<string, number>;
  steps: { step_id: string; type: string; entered: number; completed: number; waiting: number }[];
}
