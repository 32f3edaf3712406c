/**
 * The shapes of `GET /api/automations/{id}/report` and `/report/daily` (docs/api.md,
 * "Reports"): the server builds them, the web app reads them.
 */
export interface EmailFigures {
  sent: number;
  failed: number;
  skipped: number;
  unique_opens: number;
  unique_clicks: number;
  unsubscribes: number;
  open_rate: number;
  click_rate: number;
  delivery_rate: number;
}

export interface StepFigures {
  step_id: string;
  type: string;
  entered: number;
  completed: number;
  waiting: number;
  email?: EmailFigures;
  /** A condition's runs by the branch they took. */
  branches?: { yes: number; no: number };
}

export interface Report {
  entered: number;
  active: number;
  completed: number;
  failed: number;
  exited: Record<string, number>;
  refused: Record<string, number>;
  steps: StepFigures[];
}

export interface DailyFigures {
  day: string;
  entered: number;
  completed: number;
  failed: number;
  exited: Record<string, number>;
  refused: Record<string, number>;
  steps: { step_id: string; entered: number; completed: number; email?: EmailFigures }[];
}
