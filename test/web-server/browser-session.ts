import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import type { TestApp } from "../helpers/test-app.ts";

/** What a browser holds after signing in: the session cookie and the CSRF token the page keeps. */
export interface BrowserSession {
  cookie: string;
  csrf: string;
  accountId: number;
}

/** The `mw_session` Set-Cookie header of a response, or undefined. */
export function sessionSetCookie(res: LightMyRequestResponse): string | undefined {
  const raw = res.headers["set-cookie"];
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return all.find((c) => c.startsWith("mw_session="));
}

function fromResponse(res: LightMyRequestResponse): BrowserSession {
  const header = sessionSetCookie(res);
  expect(header, res.body).toBeDefined();
  const data = res.json().data as { csrf_token: string; account_id: number };
  return { cookie: header!.split(";")[0]!, csrf: data.csrf_token, accountId: data.account_id };
}

export async function setup(t: TestApp, email: string, password: string): Promise<BrowserSession> {
  const res = await t.app.inject({ method: "POST", url: "/api/setup", payload: { email, password } });
  expect(res.statusCode, res.body).toBe(201);
  return fromResponse(res);
}

export async function signIn(t: TestApp, email: string, password: string): Promise<BrowserSession> {
  const res = await t.app.inject({ method: "POST", url: "/api/session", payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  return fromResponse(res);
}

/**
 * A request as the web app sends it: the cookie, and the CSRF header on writes unless a
 * test overrides it (`csrf: null` leaves it out).
 */
export function browser(
  t: TestApp,
  s: BrowserSession,
  method: InjectOptions["method"],
  url: string,
  body?: unknown,
  opts: { csrf?: string | null } = {},
) {
  const csrf = opts.csrf === undefined ? s.csrf : opts.csrf;
  const headers: Record<string, string> = { cookie: s.cookie, accept: "application/json" };
  if (method !== "GET" && csrf !== null) headers["x-csrf-token"] = csrf;
  if (body !== undefined) headers["content-type"] = "application/json";
  return t.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
}
