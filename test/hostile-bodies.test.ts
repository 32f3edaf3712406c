import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "./helpers/with-database.ts";
import { type TestAccount, type TestApp, testApp } from "./helpers/test-app.ts";
import { type DbSnapshot, snapshotDb } from "./helpers/db-snapshot.ts";
import { type BodySpec, prefixChoice, Ref, serialize, type Tree, hostileBody, weirdIdentifier } from "./helpers/hostile-requests.ts";

// Enough to cover every endpoint well on both dialects in well under a minute each.
const RUNS = 200;
// Small enough that the huge-string generator crosses it sometimes (a 413), large enough for most bodies.
const BODY_LIMIT = 512 * 1024;

type DataType = "text" | "integer" | "float" | "boolean" | "date";
const FIELD_TAGS: Record<DataType, string> = { text: "nickname", integer: "age", float: "score", boolean: "vip", date: "birthday" };
const SEED_EMAIL = "seed@example.com";

interface Seed {
  contactId: string;
  contactEmail: string;
  listId: number;
  fieldIds: Record<DataType, number>;
  templateId: number;
}

interface Endpoint {
  method: "POST" | "PATCH" | "DELETE";
  /** `:id` stands for the row the request names. */
  path: string;
  /** The seeded row's path identifier; contacts also go by URL-encoded address. */
  target?: (seed: Seed, byEmail: boolean) => string;
  valid: Tree;
  /** Imports refuse per contact: `{"errors": [{email, errors}]}`. */
  importShape?: boolean;
}

const contactTarget = (s: Seed, byEmail: boolean) => (byEmail ? encodeURIComponent(s.contactEmail) : s.contactId);
const allFields: Tree = { nickname: "Neo", age: 30, score: 1.5, vip: true, birthday: "1990-01-31" };
const template: Tree = {
  name: "Welcome",
  subject: "Hi {{nickname}}",
  category: "Promotion",
  body_html: "<p>{{nickname}}</p>",
  body_text: "Hi",
};

const ENDPOINTS: Endpoint[] = [
  { method: "POST", path: "/contacts", valid: { contact: { email: "new@example.com", fields: allFields, list_ids: [new Ref("listId")] } } },
  {
    method: "PATCH",
    path: "/contacts/:id",
    target: contactTarget,
    valid: {
      contact: {
        email: new Ref("contactEmail"),
        fields: allFields,
        list_ids_included: [new Ref("listId")],
        list_ids_excluded: [],
        unsubscribed: false,
      },
    },
  },
  { method: "DELETE", path: "/contacts/:id", target: contactTarget, valid: {} },
  {
    method: "POST",
    path: "/contacts/:id/events",
    target: contactTarget,
    valid: { name: "signed_up", params: { plan: "pro", seats: 3, trial: true, coupon: null } },
  },
  { method: "POST", path: "/contacts/lists", valid: { name: "Hostile list" } },
  { method: "PATCH", path: "/contacts/lists/:id", target: (s) => String(s.listId), valid: { name: "Renamed list" } },
  { method: "DELETE", path: "/contacts/lists/:id", target: (s) => String(s.listId), valid: {} },
  { method: "POST", path: "/contacts/fields", valid: { name: "Extra", data_type: "text", merge_tag: "extra" } },
  {
    method: "PATCH",
    path: "/contacts/fields/:id",
    target: (s) => String(s.fieldIds.text),
    valid: { name: "Renamed field", data_type: "text" },
  },
  { method: "DELETE", path: "/contacts/fields/:id", target: (s) => String(s.fieldIds.integer), valid: {} },
  {
    method: "POST",
    path: "/contacts/imports",
    valid: {
      contacts: [{ email: "imported@example.com", fields: allFields, list_ids_included: [new Ref("listId")], list_ids_excluded: [] }],
    },
    importShape: true,
  },
  {
    method: "POST",
    path: "/contacts/exports",
    valid: {
      filters: [
        { name: "list_id", operator: "equal", value: [new Ref("listId")] },
        { name: "subscription_status", operator: "equal", value: "subscribed" },
      ],
    },
  },
  { method: "POST", path: "/email_templates", valid: { email_template: template } },
  {
    method: "PATCH",
    path: "/email_templates/:id",
    target: (s) => String(s.templateId),
    valid: { email_template: { ...template, name: "Renamed" } },
  },
  { method: "DELETE", path: "/email_templates/:id", target: (s) => String(s.templateId), valid: {} },
];

/** Mailtrap's 422 body: every attribute maps to a non-empty list of messages. */
function expectFieldErrors(errors: unknown): void {
  expect(errors).toBeTypeOf("object");
  expect(Array.isArray(errors)).toBe(false);
  const entries = Object.entries(errors as Record<string, unknown>);
  expect(entries.length).toBeGreaterThan(0);
  for (const [, messages] of entries) {
    expect(Array.isArray(messages) && messages.length > 0 && messages.every((m) => typeof m === "string")).toBe(true);
  }
}

/** The response rules every hostile request must keep, whatever it sent. */
function expectWellFormedRefusal(res: LightMyRequestResponse, ep: Endpoint): void {
  expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(500);
  if (res.statusCode < 400) return;
  // Every refusal comes from the error catalogue: a JSON object with one `error` or `errors` key.
  const body = res.json() as Record<string, unknown>;
  expect(Object.keys(body).length === 1 && ("error" in body || "errors" in body), res.body.slice(0, 500)).toBe(true);
  if (res.statusCode === 400) expect(body).toEqual({ error: expect.any(String) });
  if (res.statusCode === 422) {
    expect(Object.keys(body)).toEqual(["errors"]);
    if (ep.importShape && Array.isArray(body["errors"])) {
      expect(body["errors"].length).toBeGreaterThan(0);
      for (const item of body["errors"] as unknown[]) {
        expect(Object.keys(item as object).sort()).toEqual(["email", "errors"]);
        expect((item as { email: unknown }).email).toBeTypeOf("string");
        expectFieldErrors((item as { errors: unknown }).errors);
      }
    } else {
      expectFieldErrors(body["errors"]);
    }
  }
}

describe.each(DIALECTS)("hostile requests on %s", (dialect) => {
  let t: TestApp;
  let acct: TestAccount;
  let seed: Seed;
  let current: DbSnapshot;

  /** Asks the API, insisting it works: seeding is not what these tests probe. */
  async function must(method: "POST" | "PATCH", url: string, body: unknown) {
    const res = await t.call(acct, method, url, body);
    if (res.statusCode >= 300) throw new Error(`seeding ${method} ${url} failed: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  /**
   * Puts back whatever a successful request removed or renamed, so later runs still hit
   * real rows: a field of each type, a list, a contact that belongs to it, a template.
   */
  async function ensureSeed(): Promise<void> {
    const db = t.store.db;
    const id = acct.accountId;
    const fieldIds = {} as Record<DataType, number>;
    for (const [type, tag] of Object.entries(FIELD_TAGS) as [DataType, string][]) {
      const row = await db.selectFrom("fields").select("id").where("account_id", "=", id).where("merge_tag", "=", tag).executeTakeFirst();
      fieldIds[type] = row?.id ?? (await must("POST", "/api/contacts/fields", { name: `Seed ${tag}`, data_type: type, merge_tag: tag })).id;
    }
    const list = await db
      .selectFrom("lists")
      .select("id")
      .where("account_id", "=", id)
      .where("id", "=", seed?.listId ?? 0)
      .executeTakeFirst();
    const listId = list?.id ?? (await must("POST", "/api/contacts/lists", { name: `Seed list ${Date.now()}` })).id;
    const byId = await db
      .selectFrom("contacts")
      .select(["id", "email"])
      .where("account_id", "=", id)
      .where("id", "=", seed?.contactId ?? "")
      .executeTakeFirst();
    const contact =
      byId ??
      (
        await must("PATCH", `/api/contacts/${encodeURIComponent(SEED_EMAIL)}`, {
          contact: { email: SEED_EMAIL, list_ids_included: [listId] },
        })
      ).data;
    const tpl = await db
      .selectFrom("email_templates")
      .select("id")
      .where("account_id", "=", id)
      .where("id", "=", seed?.templateId ?? 0)
      .executeTakeFirst();
    const templateId = tpl?.id ?? (await must("POST", "/api/email_templates", { email_template: template })).id;
    seed = { contactId: contact.id, contactEmail: contact.email, listId, fieldIds, templateId };
  }

  beforeAll(async () => {
    t = await testApp(dialect, { MAILWRIGHT_BODY_LIMIT: String(BODY_LIMIT) });
    acct = await t.newAccount();
    // Another account with rows of its own: a hostile request must not reach them either.
    const other = await t.newAccount();
    await t.call(other, "POST", "/api/contacts", { contact: { email: SEED_EMAIL } });
    await ensureSeed();
    await must("PATCH", `/api/contacts/${seed.contactId}`, { contact: { email: seed.contactEmail, fields: allFields } });
    current = await snapshotDb(t.store);
  });
  afterAll(() => t.close());

  function send(ep: Endpoint, prefix: string, id: string | null, byEmail: boolean, body: BodySpec) {
    const base = prefix === "token" ? "/api" : `/api/accounts/${prefix === "own" ? acct.accountId : prefix}`;
    const url = base + ep.path.replace(":id", id ?? ep.target?.(seed, byEmail) ?? "");
    const headers: Record<string, string> = { ...acct.headers };
    let payload: string | Buffer | undefined;
    if (body.kind === "json") {
      headers["content-type"] = body.contentType;
      payload = serialize(body.tree, (name) => seed[name as keyof Seed]);
    } else if (body.kind === "bytes" || body.kind === "text") {
      if (body.contentType !== null) headers["content-type"] = body.contentType;
      payload = body.kind === "bytes" ? Buffer.from(body.bytes) : body.text;
    }
    return t.app.inject({ method: ep.method, url, headers, ...(payload === undefined ? {} : { payload }) });
  }

  it.each(ENDPOINTS.map((ep) => [`${ep.method} ${ep.path}`, ep] as const))(
    "%s answers every hostile request without a 5xx, and a refusal changes nothing",
    async (_name, ep) => {
      const request = fc.record({
        prefix: prefixChoice,
        id: ep.target ? weirdIdentifier : fc.constant(null),
        byEmail: fc.boolean(),
        body: hostileBody(ep.valid),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ prefix, id, byEmail, body }) => {
          const res = await send(ep, prefix, id, byEmail, body);
          expectWellFormedRefusal(res, ep);
          const after = await snapshotDb(t.store);
          if (res.statusCode >= 400) {
            expect(after).toEqual(current);
            return;
          }
          // A generated body that happens to be valid may change rows: that is its right.
          await ensureSeed();
          current = await snapshotDb(t.store);
        }),
        { numRuns: RUNS },
      );
    },
    300_000,
  );

  it("names a contact by an address longer than 100 characters in the path", async () => {
    const email = `${"a".repeat(60)}@${"b".repeat(60)}.${"c".repeat(60)}.example.com`;
    const created = await must("POST", "/api/contacts", { contact: { email } });
    const path = `/api/contacts/${encodeURIComponent(email)}`;
    expect((await t.call(acct, "GET", path)).json().data.id).toBe(created.data.id);
    const patched = await t.call(acct, "PATCH", path, { contact: { email, unsubscribed: true } });
    expect(patched.json()).toMatchObject({ action: "updated", data: { id: created.data.id, status: "unsubscribed" } });
    expect((await t.call(acct, "DELETE", path)).statusCode).toBe(204);
    current = await snapshotDb(t.store);
  });

  it("refuses NUL and unpaired surrogates in any text, the same on every database", async () => {
    const before = await snapshotDb(t.store);
    const cases: [string, string, string, Record<string, string[]>][] = [
      ["POST", "/api/contacts/lists", '{"name":"a\\u0000b"}', { name: ["is invalid"] }],
      ["POST", "/api/contacts/lists", '{"name":"\\ud800"}', { name: ["is invalid"] }],
      ["POST", "/api/email_templates", '{"email_template":{"name":"x","subject":"\\u0000","category":"c"}}', { subject: ["is invalid"] }],
      ["POST", `/api/contacts/${seed.contactId}/events`, '{"name":"e","params":{"k\\u0000":1}}', { params: ["is invalid"] }],
    ];
    for (const [method, url, body, errors] of cases) {
      const res = await t.call(acct, method as "POST", url, body);
      expect({ url, status: res.statusCode, body: res.json() }).toEqual({ url, status: 422, body: { errors } });
    }
    expect((await t.call(acct, "GET", "/api/contacts/a%00b%40example.com")).statusCode).toBe(404);
    expect((await t.call(acct, "GET", "/api/contacts/lists?search=%00")).statusCode).toBe(422);
    expect(await snapshotDb(t.store)).toEqual(before);
  });

  it("treats attribute names and merge tags that shadow Object.prototype as plain names", async () => {
    // Prototype names themselves are reserved as merge tags; other inherited names are plain names.
    const reserved = await t.call(acct, "POST", "/api/contacts/fields", {
      name: "Builder",
      data_type: "integer",
      merge_tag: "constructor",
    });
    expect(reserved.json()).toEqual({ errors: { merge_tag: ["is reserved"] } });
    await must("POST", "/api/contacts/fields", { name: "Stringer", data_type: "integer", merge_tag: "toString" });
    const before = await snapshotDb(t.store);
    const badValue = await t.call(acct, "POST", "/api/contacts", { contact: { email: "proto@example.com", fields: { toString: "x" } } });
    expect(badValue.statusCode).toBe(422);
    expect(badValue.json()).toEqual({ errors: { toString: ["is invalid"] } });
    const unknown = await t.call(acct, "POST", "/api/contacts/lists", { name: "x", toString: 1, constructor: {} });
    expect(unknown.json()).toEqual({
      errors: { toString: ["is not a permitted attribute"], constructor: ["is not a permitted attribute"] },
    });
    expect(await snapshotDb(t.store)).toEqual(before);
  });
  it.each([
    ["from_email", "news@example.com\r\nBcc: victim@example.org"],
    ["from_email", "news@example.com\nSubject: forged"],
    ["from_email", "a@example.com, b@example.org"],
    ["from_email", "a@example.com; b@example.org"],
    ["from_email", "team: a@example.com, b@example.org;"],
    ["from_email", "Evil <a@example.com>"],
    ["reply_to", "a@example.com,b@example.org"],
    ["reply_to", "reply@example.com\r\n"],
    ["reply_to", "undisclosed-recipients:;"],
  ])("refuses a %s that is not one mailbox (%j) at save and at activation, naming the step and field", async (key, value) => {
    const step = (email: Record<string, string>) => ({
      id: "mail",
      type: "send_email",
      email: { subject: "s", html: "<p>x</p>", ...email },
      next: null,
    });
    const def = { name: "Senders", trigger: { type: "custom_event", event: "go" }, entry_step_id: "mail", steps: [step({})] };
    const before = await snapshotDb(t.store);
    const created = await t.call(acct, "POST", "/api/automations", { ...def, steps: [step({ [key]: value })] });
    expect(created.statusCode, created.body).toBe(422);
    expect(created.json().errors.steps).toEqual([
      expect.stringMatching(new RegExp(`^mail: email\\.${key} must be a single email address`)),
    ]);
    expect(await snapshotDb(t.store)).toEqual(before);

    const draft = await must("POST", "/api/automations", def);
    const edited = await t.call(acct, "PATCH", `/api/automations/${draft.data.id}`, { steps: [step({ [key]: value })] });
    expect(edited.statusCode, edited.body).toBe(422);
    expect(edited.json().errors.steps[0]).toMatch(new RegExp(`^mail: email\\.${key} `));
    // A definition stored before this check: activation refuses it too.
    await t.store.db
      .updateTable("automation_versions")
      .set({ definition: JSON.stringify({ ...def, steps: [step({ [key]: value })] }) })
      .where("automation_id", "=", draft.data.id)
      .execute();
    const activated = await t.call(acct, "POST", `/api/automations/${draft.data.id}/activate`);
    expect(activated.statusCode, activated.body).toBe(422);
    expect(activated.json().errors.steps).toContainEqual(expect.stringMatching(new RegExp(`^mail: email\\.${key} `)));
    expect((await t.call(acct, "DELETE", `/api/automations/${draft.data.id}`)).statusCode).toBeLessThan(300);
    current = await snapshotDb(t.store);
  });

  it("accepts one plain mailbox as from_email and reply_to", async () => {
    const def = {
      name: "Fine",
      trigger: { type: "custom_event", event: "go" },
      entry_step_id: "m",
      steps: [
        {
          id: "m",
          type: "send_email",
          email: { subject: "s", html: "x", from_email: "News@Example.com", reply_to: "help+x@example.org" },
          next: null,
        },
      ],
    };
    const created = await must("POST", "/api/automations", def);
    expect((await t.call(acct, "POST", `/api/automations/${created.data.id}/activate`)).statusCode).toBe(200);
    current = await snapshotDb(t.store);
  });
  it.each([5_000, 100_000])(
    "refuses a body nested %i deep with a 400, with or without an Idempotency-Key, on every write",
    async (depth) => {
      const before = await snapshotDb(t.store);
      const deep = (key: string) => `{"${key}":${"[".repeat(depth)}${"]".repeat(depth)}}`;
      const writes: [string, string][] = [
        ["/api/contacts", deep("contact")],
        [`/api/contacts/${seed.contactId}/events`, `{"name":"e","params":{"p":${"[".repeat(depth)}${"]".repeat(depth)}}}`],
        ["/api/contacts/lists", deep("name")],
        ["/api/contacts/fields", deep("name")],
        ["/api/email_templates", deep("email_template")],
        ["/api/automations", deep("steps")],
        [`/api/accounts/${acct.accountId}/contacts/exports`, deep("filters")],
      ];
      for (const [url, body] of writes) {
        for (const headers of [{ "idempotency-key": `deep-${depth}-${url}` }, {}] as Record<string, string>[]) {
          const res = await t.call(acct, "POST", url, body, headers);
          expect({ url, status: res.statusCode, body: res.json() }).toEqual({
            url,
            status: 400,
            body: { error: "Malformed JSON: nested deeper than 64 levels" },
          });
        }
      }
      expect(await snapshotDb(t.store)).toEqual(before);
    },
  );

  it("refuses raw invalid UTF-8 in a JSON body with a 4xx naming the attribute, and stores nothing", async () => {
    const before = await snapshotDb(t.store);
    const raw = (...parts: (string | number[])[]) =>
      Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
    const cases: [string, Buffer, unknown][] = [
      ["/api/contacts/lists", raw('{"name":"caf', [0xe9], '"}'), { errors: { name: ["is not valid UTF-8"] } }],
      ["/api/contacts/lists", raw('{"name":"', [0xc3, 0x28], '"}'), { errors: { name: ["is not valid UTF-8"] } }],
      ["/api/contacts/lists", raw('{"name":"', [0xed, 0xa0, 0x80], '"}'), { errors: { name: ["is not valid UTF-8"] } }],
      ["/api/contacts/lists", raw('{"name":"', [0xf0, 0x82, 0x82, 0xac], '"}'), { errors: { name: ["is not valid UTF-8"] } }],
      [
        "/api/contacts",
        raw('{"contact":{"email":"u@example.com","fields":{"nickname":"', [0xff], '"}}}'),
        { errors: { fields: ["value for 'nickname' is not valid UTF-8"] } },
      ],
      [
        `/api/contacts/${seed.contactId}/events`,
        raw('{"name":"e","params":{"k', [0xfe], '":1}}'),
        { errors: { params: ["is not valid UTF-8"] } },
      ],
      [
        "/api/email_templates",
        raw('{"email_template":{"name":"x","subject":"', [0x80], '","category":"c"}}'),
        { errors: { subject: ["is not valid UTF-8"] } },
      ],
      ["/api/contacts/lists", raw('{"name":"x"}', [0xff]), { error: "Malformed JSON: the body is not valid UTF-8" }],
    ];
    for (const [url, payload, body] of cases) {
      const res = await t.app.inject({ method: "POST", url, headers: { ...acct.headers, "content-type": "application/json" }, payload });
      expect({ url, status: res.statusCode, body: res.json() }).toEqual({ url, status: res.statusCode < 422 ? 400 : 422, body });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
    }
    // A real U+FFFD sent as valid UTF-8 is text like any other.
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/contacts/lists",
      headers: { ...acct.headers, "content-type": "application/json" },
      payload: Buffer.from('{"name":"\ufffd ok"}'),
    });
    expect(ok.statusCode, ok.body).toBeLessThan(300);
    expect(ok.json().name).toBe("\ufffd ok");
    await t.call(acct, "DELETE", `/api/contacts/lists/${ok.json().id}`);
    expect(await snapshotDb(t.store)).toEqual(before);
  });
  it("refuses integers JSON would round (beyond 2^53 - 1) in any field or parameter, naming it", async () => {
    const cases: [string, string, Record<string, string[]>][] = [
      [
        "/api/contacts",
        '{"contact":{"email":"big@example.com","fields":{"nickname":9007199254740993}}}',
        { fields: ["value for 'nickname' is too large: integers must be within ±9007199254740991 (2^53 − 1)"] },
      ],
      [
        "/api/contacts",
        '{"contact":{"email":"big@example.com","fields":{"score":-18014398509481985}}}',
        { fields: ["value for 'score' is too large: integers must be within ±9007199254740991 (2^53 − 1)"] },
      ],
      [
        "/api/contacts",
        '{"contact":{"email":"big@example.com","fields":{"age":12345678901234567890}}}',
        { fields: ["value for 'age' is too large: integers must be within ±9007199254740991 (2^53 − 1)"] },
      ],
      [
        `/api/contacts/${seed.contactId}/events`,
        '{"name":"e","params":{"order":9007199254740993}}',
        { params: ["value for 'order' is too large: integers must be within ±9007199254740991 (2^53 − 1)"] },
      ],
    ];
    for (const [url, body, errors] of cases) {
      const res = await t.call(acct, "POST", url, body);
      expect({ url, status: res.statusCode, body: res.json() }).toEqual({ url, status: 422, body: { errors } });
    }
    // The largest safe integer, floats with many digits and long digit strings in text are fine.
    const fine = await t.call(
      acct,
      "POST",
      `/api/contacts/${seed.contactId}/events`,
      '{"name":"e","params":{"max":9007199254740991,"pi":3.14159265358979323846,"big":1e300,"id":"123456789012345678901234"}}',
    );
    expect(fine.statusCode, fine.body).toBeLessThan(300);
    current = await snapshotDb(t.store);
  });
});
