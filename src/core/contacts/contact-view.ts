import type { FieldValue } from "./field-value.ts";

/** A contact as the contacts API answers it (Mailtrap's shape); the web app reads the same type. */
export interface ContactView {
  id: string;
  status: "subscribed" | "unsubscribed";
  email: string;
  /** By merge tag. */
  fields: Record<string, FieldValue>;
  list_ids: number[];
  /** Epoch milliseconds. */
  created_at: number;
  updated_at: number;
}
