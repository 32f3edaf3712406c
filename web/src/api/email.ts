/** Templates (Mailtrap's shape), captured outbox messages and message rows (our own API). */
export interface EmailTemplate {
  id: number;
  uuid: string;
  name: string;
  category: string;
  subject: string;
  body_html: string;
  body_text: string;
  created_at: string;
  updated_at: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface OutboxMessage {
  id: number;
  message_id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  created_at: string;
}

export interface MessageRow {
  id: number;
  run_id: number;
  step_id: string;
  contact_id: string;
  to: string;
  subject: string | null;
  status: "queued" | "sent" | "failed" | "skipped";
  sent_at: string | null;
  opened_at: string | null;
  clicked_at: string | null;
  error: string | null;
}
