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

export type RunStatus = "active" | "completed" | "exited" | "failed";

/** One item of `GET /api/automations/{id}/runs` (DESIGN.md §9, run inspector). */
export interface Run {
  id: number;
  automation_id: number;
  contact_id: string;
  /** Null once the contact is erased. */
  contact_email: string | null;
  contact_name: string | null;
  status: RunStatus;
  version: number;
  current_step_id: string | null;
  wake_at: string | null;
  entered_at: string;
  finished_at: string | null;
  exit_reason: string | null;
}

export interface RunsPage {
  data: Run[];
  next_cursor: string | null;
}

/** A step the run entered, from `GET /api/runs/{id}`. */
export interface JournalEntry {
  step_id: string;
  step_name: string;
  type: string;
  outcome: string;
  at: string;
  completed_at: string | null;
  detail: unknown;
  message?: {
    id: number;
    to: string;
    subject: string | null;
    status: "queued" | "sent" | "failed" | "skipped";
    created_at: string;
    sent_at: string | null;
    opened_at: string | null;
    clicked_at: string | null;
    error: string | null;
  };
}

export interface RunDetail extends Run {
  automation_name: string;
  current_step_name: string | null;
  journal: JournalEntry[];
}
