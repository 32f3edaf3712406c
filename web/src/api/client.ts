/**
 * The one way the web app talks to the server: same-origin fetch with the session cookie,
 * the CSRF header on every mutation, JSON in and out. Errors carry the server's body so a
 * form can show the message that names the field.
 */

import { issueText } from "../../../src/core/flow/issue-text.ts";
import { fieldErrorText } from "../lib/error-text.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(describeError(status, body));
  }

  /** Field → messages for a 422 `{"errors": {"field": ["message"]}}`; empty otherwise. */
  get fieldErrors(): Record<string, string[]> {
    const errors = (this.body as { errors?: unknown } | null)?.errors;
    return errors && typeof errors === "object" && !Array.isArray(errors) ? (errors as Record<string, string[]>) : {};
  }
}

function describeError(status: number, body: unknown): string {
  const b = body as { error?: unknown; errors?: unknown; message?: unknown } | null;
  if (b && typeof b.errors === "string") return b.errors;
  if (b && typeof b.error === "string") return b.error;
  if (b && typeof b.message === "string") return b.message;
  if (b && b.errors && typeof b.errors === "object") {
    // Attribute keys are machine paths (`usage`, `steps`): the messages are what a person reads.
    return Object.entries(b.errors as Record<string, unknown>)
      .flatMap(([field, messages]) =>
        (Array.isArray(messages) ? messages : [messages]).map((m) => fieldErrorText(field, issueText(String(m)))),
      )
      .join(" ");
  }
  return `Request failed (${status})`;
}

let csrfToken: string | null = null;

/** Set from `GET /api/session` (and after login / setup); sent as `X-CSRF-Token` on mutations. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export async function api<T = unknown>(method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed as T;
}

/** Builds `?a=1&b=2` from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : "";
}
