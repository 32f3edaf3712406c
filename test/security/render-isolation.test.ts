import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RenderLimitError } from "../../src/server/email/render.ts";
import { renderPool } from "../../src/server/email/render-pool.ts";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { COMPILE_BOMB, inlinePartialBomb, LIMIT_MESSAGE } from "../helpers/template-bombs.ts";
import { contact, createActive, seedAccount, settle } from "../engine/engine-helpers.ts";

/** The longest the event loop went without running a 5 ms timer while `work` ran. */
async function loopStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  try {
    const result = await work();
    return { result, stallMs: Math.max(stallMs, performance.now() - last) };
  } finally {
    clearInterval(timer);
  }
}

describe("the render pool", () => {
  const pool = renderPool({ limits: { maxBytes: 1024 * 1024, timeoutMs: 1000 }, threads: 1, memoryMb: 128 });
  afterAll(() => pool.close());

  it("renders as renderEmail does", async () => {
    expect(await pool.render({ subject: "Hi {{name}}", html: "<p>{{name}}</p>", text: "" }, { name: "<Ann>" })).toEqual({
      subject: "Hi <Ann>",
      html: "<p>&lt;Ann&gt;</p>",
      text: "<Ann>",
    });
  });

  it("stops a template that only the compiler chokes on at its limit, without stalling the event loop, and renders again after", async () => {
    const started = performance.now();
    const { result, stallMs } = await loopStall(() =>
      pool.render({ subject: "", html: COMPILE_BOMB, text: "x" }, { a: 1 }).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(result).toBeInstanceOf(RenderLimitError);
    expect((result as Error).message).toMatch(LIMIT_MESSAGE);
    expect(performance.now() - started).toBeLessThan(8000);
    expect(stallMs).toBeLessThan(100);
    expect((await pool.render({ subject: "ok", html: "", text: "{{a}}" }, { a: 2 })).text).toBe("2");
  });

  it("checks syntax off the event loop too (parsing 1 MB takes Handlebars over a second)", async () => {
    const { result, stallMs } = await loopStall(() =>
      pool.check({ body_html: "{{a}}".repeat(200_000), subject: "{{#if}}", body_text: inlinePartialBomb(8) }).catch((e: unknown) => e),
    );
    expect(stallMs).toBeLessThan(100);
    if (result instanceof Error) expect(result.message).toMatch(LIMIT_MESSAGE);
    else
      expect(result).toMatchObject({
        subject: expect.stringMatching(/invalid Handlebars syntax/),
        body_text: expect.stringMatching(/inline partial/),
      });
  });
});

describe.each(DIALECTS)("template bombs over HTTP and in a send_email step on %s", (dialect) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_TEST_CLOCK: "1" });
    base = await t.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => t.close());

  /** /healthz's slowest answer over a real socket while `work` runs. */
  async function healthDuring<T>(work: Promise<T>): Promise<{ result: T; worstMs: number }> {
    let done = false;
    let worstMs = 0;
    const probe = (async () => {
      while (!done) {
        const started = performance.now();
        const res = await fetch(`${base}/healthz`);
        expect(res.status).toBe(200);
        worstMs = Math.max(worstMs, performance.now() - started);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      return { result: await work, worstMs };
    } finally {
      done = true;
      await probe;
    }
  }

  it("refuses to save an inline-partial bomb, naming the field", async () => {
    const acc = await t.newAccount();
    const res = await t.call(acc, "POST", "/api/email_templates", {
      email_template: { name: "b", category: "c", subject: "s", body_html: inlinePartialBomb(8) },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.body_html[0]).toMatch(/inline partial/);
  });

  it("previews a stored bomb and a draft compile bomb with a 422 naming the limit within seconds, while /healthz answers in milliseconds", async () => {
    const acc = await t.newAccount();
    const tpl = (
      await t.call(acc, "POST", "/api/email_templates", {
        email_template: { name: "b", category: "c", subject: "s", body_html: "<p>fine</p>" },
      })
    ).json();
    // As a template saved before partials were refused would be.
    await t.store.db
      .updateTable("email_templates")
      .set({ body_html: inlinePartialBomb(9) })
      .where("id", "=", tpl.id)
      .execute();
    const headers = { ...acc.headers, "content-type": "application/json" };
    const post = (body: unknown) =>
      fetch(`${base}/api/email_templates/${tpl.id}/preview`, { method: "POST", headers, body: JSON.stringify(body) });

    // What /healthz takes on this machine with nothing else going on (a loaded CI runner adds its own delay).
    const idle = await healthDuring(new Promise((r) => setTimeout(r, 1000)));
    const started = performance.now();
    const stored = await healthDuring(post({}));
    expect(stored.result.status).toBe(422);
    expect(((await stored.result.json()) as { errors: { base: string[] } }).errors.base[0]).toMatch(/inline partial/);

    const draft = await healthDuring(post({ email_template: { body_html: COMPILE_BOMB } }));
    expect(draft.result.status).toBe(422);
    expect(((await draft.result.json()) as { errors: { base: string[] } }).errors.base[0]).toMatch(LIMIT_MESSAGE);
    expect(performance.now() - started).toBeLessThan(10_000);
    // Before render threads, the stored 9-deep bomb alone held the event loop for minutes.
    expect(Math.max(stored.worstMs, draft.worstMs)).toBeLessThan(Math.max(100, 2 * idle.worstMs));
  });

  it("fails a send_email message with a bomb permanently, with the reason", async () => {
    const { acc } = await seedAccount(t);
    const make = async (event: string, html: string) =>
      createActive(t, acc, {
        name: event,
        trigger: { type: "custom_event", event },
        entry_step_id: "e",
        steps: [{ id: "e", type: "send_email", email: { subject: "s", html }, next: null }],
      });
    const partials = await make("partials", inlinePartialBomb(8));
    const compile = await make("compile", COMPILE_BOMB);
    const c = await contact(t, acc, "bomb@example.com");
    for (const name of ["partials", "compile"])
      expect((await t.call(acc, "POST", `/api/contacts/${c.id}/events`, { name, params: {} })).statusCode).toBe(201);
    await settle(t);
    const { stallMs } = await loopStall(() => t.services.sender.drain());
    // Before render threads, the 8-deep bomb alone held the loop for 22 s.
    expect(stallMs).toBeLessThan(500);
    const rows = await t.store.db
      .selectFrom("messages")
      .select(["automation_id", "status", "attempts", "error"])
      .where("automation_id", "in", [partials, compile])
      .execute();
    expect(rows.find((r) => r.automation_id === partials)).toMatchObject({
      status: "failed",
      attempts: 0,
      error: expect.stringMatching(/^render: template uses an inline partial/),
    });
    expect(rows.find((r) => r.automation_id === compile)).toMatchObject({
      status: "failed",
      attempts: 0,
      error: expect.stringMatching(new RegExp(`^render: .*${LIMIT_MESSAGE.source}`)),
    });
  });
});
