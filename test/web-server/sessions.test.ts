import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "../helpers/test-app.ts";
import { ConfigError, loadConfig } from "../../src/server/config.ts";
import { hashSessionToken } from "../../src/server/users/sessions-repo.ts";
import { type BrowserSession, browser, sessionSetCookie, setup, signIn } from "./browser-session.ts";

const HOUR = 3_600_000;
const ADMIN = { email: "Admin@Example.com", password: "correct horse battery" };
const CSRF_REFUSED = { errors: "Missing or invalid CSRF token" };

describe.each(DIALECTS)("web sessions on %s", (dialect) => {
  let t: TestApp;
  let now = Date.parse("2030-01-01T00:00:00Z");
  let tokenAccount: TestAccount;
  let admin: BrowserSession;

  beforeAll(async () => {
    t = await testApp(dialect, {}, { clock: { now: () => now } });
    // Account 1 exists before setup (as MAILWRIGHT_BOOTSTRAP_TOKEN makes it): the admin joins it.
    tokenAccount = await t.newAccount();
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: "GET", url, headers });
  const listCount = async (accountId: number) =>
    (await t.store.db.selectFrom("lists").select("id").where("account_id", "=", accountId).execute()).length;

  it("first start: setup creates the admin in account 1, signs them in, and works only once", async () => {
    expect((await get("/api/session")).json()).toEqual({
      data: { setup_required: true, setup_code_required: false, user: null, account_id: null, csrf_token: null, test_clock: false },
    });

    const refused = await t.app.inject({ method: "POST", url: "/api/setup", payload: { email: "not an email", password: "short" } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual({ errors: { email: ["is invalid"], password: ["is too short (minimum is 8 characters)"] } });
    const tooLong = await t.app.inject({
      method: "POST",
      url: "/api/setup",
      payload: { email: "a@example.com", password: "x".repeat(201) },
    });
    expect(tooLong.json()).toEqual({ errors: { password: ["is too long (maximum is 200 characters)"] } });
    expect((await get("/api/session")).json().data.setup_required).toBe(true);

    admin = await setup(t, ADMIN.email, ADMIN.password);
    expect(admin.accountId).toBe(tokenAccount.accountId);
    const session = (await get("/api/session", { cookie: admin.cookie })).json().data;
    expect(session).toEqual({
      setup_required: false,
      setup_code_required: false,
      user: { id: expect.any(Number), email: "admin@example.com" },
      account_id: 1,
      csrf_token: admin.csrf,
      test_clock: false,
    });
    expect(admin.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const again = await t.app.inject({
      method: "POST",
      url: "/api/setup",
      payload: { email: "second@example.com", password: "another password" },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: "Already set up" });
    expect(sessionSetCookie(again)).toBeUndefined();
    expect((await get("/api/session")).json().data).toMatchObject({ setup_required: false, user: null });

    // Stored: a salted scrypt hash (never the password) and only a hash of the cookie's secret.
    const user = await t.store.db.selectFrom("users").selectAll().executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(user.password_hash).not.toContain(ADMIN.password);
    const secret = admin.cookie.slice("mw_session=".length);
    expect(secret).toMatch(/^[\w-]{43}$/);
    const rows = await t.store.db.selectFrom("sessions").select("token_hash").execute();
    expect(rows.map((r) => r.token_hash)).toEqual([hashSessionToken(secret)]);
  });

  it("sets the cookie HttpOnly, SameSite=Lax, Path=/, for MAILWRIGHT_SESSION_HOURS, not Secure over http", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/session", payload: ADMIN });
    const attrs = sessionSetCookie(res)!
      .split(";")
      .map((a) => a.trim());
    expect(attrs).toEqual(
      expect.arrayContaining([
        "HttpOnly",
        "SameSite=Lax",
        "Path=/",
        `Max-Age=${168 * 3600}`,
        `Expires=${new Date(now + 168 * HOUR).toUTCString()}`,
      ]),
    );
    expect(attrs).not.toContain("Secure");
  });

  it("signs in with the right password only; a wrong password and an unknown email get the same 401", async () => {
    const right = await signIn(t, "  ADMIN@example.com ", ADMIN.password);
    expect((await get("/api/session", { cookie: right.cookie })).json().data.user.email).toBe("admin@example.com");
    expect(right.csrf).not.toBe(admin.csrf);

    const wrong = await t.app.inject({ method: "POST", url: "/api/session", payload: { email: ADMIN.email, password: "wrong password" } });
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/session",
      payload: { email: "nobody@example.com", password: ADMIN.password },
    });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ errors: "Invalid email or password" });
      expect(sessionSetCookie(res)).toBeUndefined();
    }
    const missing = await t.app.inject({ method: "POST", url: "/api/session", payload: { email: ADMIN.email } });
    expect(missing.json()).toEqual({ errors: { password: ["can't be blank"] } });
  });

  it("a session reads the account's API; writes need the session's X-CSRF-Token, API tokens do not", async () => {
    const s = await signIn(t, ADMIN.email, ADMIN.password);
    const automations = await browser(t, s, "GET", "/api/automations");
    expect(automations.statusCode).toBe(200);
    expect(automations.json()).toEqual({ data: [] });
    expect((await browser(t, s, "GET", `/api/accounts/${s.accountId}/contacts/lists`)).statusCode).toBe(200);

    const before = await listCount(s.accountId);
    const missing = await browser(t, s, "POST", "/api/contacts/lists", { name: "No header" }, { csrf: null });
    const wrong = await browser(
      t,
      s,
      "POST",
      "/api/contacts/lists",
      { name: "Wrong header" },
      { csrf: admin.csrf.replace(/^./, (c) => (c === "A" ? "B" : "A")) },
    );
    const otherSessions = await browser(t, s, "DELETE", "/api/contacts/lists/1", undefined, { csrf: admin.csrf });
    for (const res of [missing, wrong, otherSessions]) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual(CSRF_REFUSED);
    }
    expect(await listCount(s.accountId)).toBe(before);

    const created = await browser(t, s, "POST", "/api/contacts/lists", { name: "From the browser" });
    expect(created.statusCode).toBe(200);
    expect((await t.call(tokenAccount, "GET", `/api/contacts/lists/${created.json().id}`)).json().name).toBe("From the browser");

    // Scripts with a token never need the header; another account stays forbidden to the session.
    expect((await t.call(tokenAccount, "POST", "/api/contacts/lists", { name: "From a script" })).statusCode).toBe(200);
    const other = await t.newAccount();
    expect((await browser(t, s, "GET", `/api/accounts/${other.accountId}/contacts/lists`)).json()).toEqual({
      errors: "Account access forbidden",
    });
    // A token wins over a cookie: the request is the token's account, no CSRF asked.
    const both = await t.app.inject({
      method: "POST",
      url: "/api/contacts/lists",
      headers: { ...other.headers, cookie: s.cookie, "content-type": "application/json" },
      payload: { name: "Token's" },
    });
    expect(both.statusCode).toBe(200);
    expect(await listCount(other.accountId)).toBe(1);

    expect((await get("/api/automations")).json()).toEqual({ error: "Incorrect API token" });
    expect((await get("/api/automations", { cookie: "mw_session=forged" })).json()).toEqual({ errors: "Unauthorized" });
  });

  it("signing out needs the CSRF token, deletes the session and clears the cookie", async () => {
    const s = await signIn(t, ADMIN.email, ADMIN.password);
    const forged = await browser(t, s, "DELETE", "/api/session", undefined, { csrf: null });
    expect(forged.statusCode).toBe(403);
    expect((await browser(t, s, "GET", "/api/automations")).statusCode).toBe(200);

    const out = await browser(t, s, "DELETE", "/api/session");
    expect(out.statusCode).toBe(204);
    const cleared = sessionSetCookie(out)!;
    expect(cleared).toMatch(/^mw_session=;/);
    expect(cleared).toContain("Max-Age=0");
    const afterwards = await browser(t, s, "GET", "/api/automations");
    expect(afterwards.statusCode).toBe(401);
    expect(afterwards.json()).toEqual({ errors: "Unauthorized" });
    expect((await get("/api/session", { cookie: s.cookie })).json().data).toMatchObject({ user: null, csrf_token: null });
    const secret = s.cookie.slice("mw_session=".length);
    expect(
      await t.store.db.selectFrom("sessions").select("token_hash").where("token_hash", "=", hashSessionToken(secret)).execute(),
    ).toEqual([]);
  });

  it("refuses and deletes a session once the server's clock passes its expiry", async () => {
    const s = await signIn(t, ADMIN.email, ADMIN.password);
    const secret = s.cookie.slice("mw_session=".length);
    now += 168 * HOUR - 1000;
    expect((await browser(t, s, "GET", "/api/automations")).statusCode).toBe(200);
    now += 1000;
    const expired = await browser(t, s, "GET", "/api/automations");
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual({ errors: "Unauthorized" });
    expect(
      await t.store.db.selectFrom("sessions").select("token_hash").where("token_hash", "=", hashSessionToken(secret)).execute(),
    ).toEqual([]);
    const session = await get("/api/session", { cookie: s.cookie });
    expect(session.json().data).toMatchObject({ setup_required: false, user: null });
    expect(sessionSetCookie(session)).toMatch(/^mw_session=;/);
  });
});

describe("session options", () => {
  it("MAILWRIGHT_SESSION_HOURS defaults to a week and is validated like every option", () => {
    expect(loadConfig({}).sessionHours).toBe(168);
    expect(loadConfig({ MAILWRIGHT_SESSION_HOURS: "12" }).sessionHours).toBe(12);
    for (const bad of ["0", "1.5", "week", "9000"]) {
      expect(() => loadConfig({ MAILWRIGHT_SESSION_HOURS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ MAILWRIGHT_SESSION_HOURS: bad })).toThrow(
        /MAILWRIGHT_SESSION_HOURS \(--session-hours\) must be an integer from 1 to 8760/,
      );
    }
  });

  it("marks the cookie Secure behind an https public URL, for the configured hours", async () => {
    const t = await testApp("sqlite", { MAILWRIGHT_PUBLIC_URL: "https://mail.example.com", MAILWRIGHT_SESSION_HOURS: "2" });
    try {
      const res = await t.app.inject({ method: "POST", url: "/api/setup", payload: { email: "a@example.com", password: "long enough" } });
      const attrs = sessionSetCookie(res)!
        .split(";")
        .map((a) => a.trim());
      expect(attrs).toEqual(expect.arrayContaining(["Secure", "HttpOnly", "SameSite=Lax", "Max-Age=7200"]));
    } finally {
      await t.close();
    }
  });

  it("limits sign-in attempts per address when rate limiting is on, and API calls stay unaffected", async () => {
    const t = await testApp("sqlite", { MAILWRIGHT_RATE_LIMIT: "1000" });
    try {
      const acc = await t.newAccount();
      const attempt = (payload: object) => t.app.inject({ method: "POST", url: "/api/session", payload });
      // Every attempt counts, refused or not (malformed ones cost no scrypt, which keeps this test fast).
      expect((await attempt({ email: "x@example.com", password: "guess guess" })).statusCode).toBe(401);
      const malformed = await Promise.all(Array.from({ length: 9 }, () => attempt({ email: "x@example.com" })));
      expect(malformed.map((r) => r.statusCode)).toEqual(Array(9).fill(422));
      const blocked = await attempt({ email: "x@example.com", password: "guess again" });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json()).toEqual({ errors: "Rate limit exceeded" });
      expect(blocked.headers["retry-after"]).toBeDefined();
      expect((await t.call(acc, "GET", "/api/automations")).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
