/** `GET /api/settings` and the API tokens of `/api/tokens` (the secret only on creation). */
export interface AccountSettings {
  account_id: number;
  limits: { max_automations: number; monthly_runs: number | null; rate_limit_per_minute: number | null; body_limit_bytes: number };
  smtp: { transport: "capture" | "smtp"; host: string | null; from: string | null };
  test_clock: boolean;
  public_url: string;
}

export interface ApiToken {
  id: number;
  name: string;
  created_at: string;
  last_used_at?: string | null;
  revoked_at: string | null;
}

export interface CreatedToken {
  id: number;
  name: string;
  token: string;
  created_at: string;
}
