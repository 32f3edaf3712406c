import type { Definition } from "../../src/core/flow/schema.ts";
import type { TestAccount, TestApp } from "../helpers/test-app.ts";

/** An account with a text field `plan`, an integer `age`, lists A and B, and a template. */
export async function seedAccount(t: TestApp) {
  const acc = await t.newAccount();
  const ok = async (res: Promise<{ statusCode: number; json(): any }>) => {
    const r = await res;
    if (r.statusCode >= 300) throw new Error(`seed failed: ${r.statusCode} ${JSON.stringify(r.json())}`);
    return r.json();
  };
  await ok(t.call(acc, "POST", "/api/contacts/fields", { name: "Plan", data_type: "text", merge_tag: "plan" }));
  await ok(t.call(acc, "POST", "/api/contacts/fields", { name: "Age", data_type: "integer", merge_tag: "age" }));
  const listA = (await ok(t.call(acc, "POST", "/api/contacts/lists", { name: "A" }))).id as number;
  const listB = (await ok(t.call(acc, "POST", "/api/contacts/lists", { name: "B" }))).id as number;
  const template = (
    await ok(
      t.call(acc, "POST", "/api/email_templates", {
        email_template: { name: "Welcome", subject: "Hi {{plan}}", category: "c", body_html: "<p>Hello {{email}}</p>" },
      }),
    )
  ).id as number;
  return { acc, listA, listB, template, ok };
}

/** DESIGN.md's welcome series: email, 2-day delay, split on plan = pro, add pros to a list. */
export function welcomeSeries(template: number, listId: number): Definition {
  return {
    name: "Welcome series",
    trigger: { type: "contact_created" },
    entry_step_id: "s1",
    steps: [
      { id: "s1", type: "send_email", email: { template_id: template }, next: "s2" },
      { id: "s2", type: "delay", amount: 2, unit: "days", next: "s3" },
      { id: "s3", type: "condition", match: "all", rules: [{ kind: "field", field: "plan", op: "eq", value: "pro" }], yes: "s4", no: null },
      { id: "s4", type: "add_to_lists", list_ids: [listId], next: null },
    ],
  };
}

export async function createActive(t: TestApp, acc: TestAccount, def: Definition): Promise<number> {
  const created = await t.call(acc, "POST", "/api/automations", def);
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  const id = created.json().data.id as number;
  const active = await t.call(acc, "POST", `/api/automations/${id}/activate`);
  if (active.statusCode !== 200) throw new Error(`activate failed: ${active.body}`);
  return id;
}

/** Lets the engine do everything due now. */
export async function settle(t: TestApp): Promise<void> {
  await t.services.jobs.drain();
  await t.services.engine.drain();
}

/** Moves the shared test clock through the API, then lets the engine catch up. */
export async function advance(t: TestApp, acc: TestAccount, seconds: number): Promise<void> {
  const r = await t.call(acc, "POST", "/api/test-clock/advance", { seconds });
  if (r.statusCode !== 200) throw new Error(`advance failed: ${r.body}`);
  await settle(t);
}

export async function runsOf(t: TestApp, acc: TestAccount, automationId: number) {
  return (await t.call(acc, "GET", `/api/automations/${automationId}/runs?limit=1000`)).json().data as {
    id: number;
    contact_id: string;
    status: string;
    current_step_id: string | null;
    exit_reason: string | null;
  }[];
}

export async function journalOf(t: TestApp, runId: number) {
  return t.store.db.selectFrom("run_journal").selectAll().where("run_id", "=", runId).orderBy("at").orderBy("step_id").execute();
}

export async function refusalsOf(t: TestApp, automationId: number) {
  const rows = await t.store.db.selectFrom("entry_refusals").select("reason").where("automation_id", "=", automationId).execute();
  return rows.map((r) => r.reason);
}

export async function contact(t: TestApp, acc: TestAccount, email: string, extra: Record<string, unknown> = {}) {
  const r = await t.call(acc, "POST", "/api/contacts", { contact: { email, ...extra } });
  if (r.statusCode !== 201) throw new Error(`contact failed: ${r.body}`);
  return r.json().data as { id: string; email: string };
}

export const HOUR = 3600;
export const DAY = 24 * HOUR;

/** One queued email: a one-step automation that sends `name`, and a contact it enrolls. Answers the message's row id. */
export async function oneQueuedMessage(t: TestApp, name: string): Promise<number> {
  const { acc } = await seedAccount(t);
  const id = await createActive(t, acc, {
    name,
    trigger: { type: "contact_created" },
    entry_step_id: "m",
    steps: [{ id: "m", type: "send_email", email: { subject: name, html: `<p>${name}</p>` }, next: null }],
  });
  await contact(t, acc, `${name}@example.com`);
  await settle(t);
  const [msg] = await t.store.db.selectFrom("messages").select("id").where("automation_id", "=", id).execute();
  if (!msg) throw new Error(`no message queued for ${name}`);
  return msg.id;
}
