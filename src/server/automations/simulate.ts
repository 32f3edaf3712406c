import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Definition } from "../../core/flow/schema.ts";
import { advance, type Position } from "../../core/engine/advance.ts";
import type { ConditionContext } from "../../core/engine/evaluate-condition.ts";
import { parseFieldValue, type FieldValue } from "../../core/contacts/field-value.ts";
import { listFields } from "../fields/fields-repo.ts";
import { findContact, listIdsOf, toState } from "../contacts/contacts-repo.ts";
import { fieldsByTag } from "../contacts/field-input.ts";
import { errors } from "../errors.ts";
import { templateParts } from "./automations-repo.ts";
import { type Renderer, RenderUnavailableError } from "../email/render-pool.ts";

export interface SimulateInput {
  contact?: { email?: string; status?: "subscribed" | "unsubscribed"; fields?: Record<string, unknown>; list_ids?: number[] };
  contact_id?: string;
  event?: { name?: string; params?: Record<string, unknown> };
}

/**
 * The path a contact would take through a definition, and the emails it would get,
 * without side effects: delays are skipped over by moving a private clock.
 */
export async function simulate(
  db: Kysely<Database>,
  renderer: Renderer,
  accountId: number,
  def: Definition,
  input: SimulateInput,
  now: number,
) {
  const defs = await listFields(db, accountId);
  let email = input.contact?.email ?? "contact@example.com";
  let ctxContact: ConditionContext["contact"];
  if (input.contact_id) {
    const row = await findContact(db, accountId, input.contact_id);
    if (!row) throw errors.validation({ contact_id: ["does not exist"] });
    const state = toState(row, (await listIdsOf(db, accountId, [row.id])).get(row.id) ?? []);
    email = row.email;
    ctxContact = { status: state.status, fields: fieldsByTag(defs, state.fields), fieldTypes: {}, listIds: state.listIds };
  } else {
    const fields: Record<string, FieldValue> = {};
    for (const [tag, raw] of Object.entries(input.contact?.fields ?? {})) {
      const d = defs.find((f) => f.merge_tag === tag);
      const parsed = d ? parseFieldValue(d.data_type, raw) : null;
      if (!parsed || !parsed.ok) throw errors.validation({ [tag]: [d ? "is invalid" : "is not a known field"] });
      fields[tag] = parsed.value;
    }
    ctxContact = { status: input.contact?.status ?? "subscribed", fields, fieldTypes: {}, listIds: input.contact?.list_ids ?? [] };
  }
  ctxContact.fieldTypes = Object.fromEntries(defs.map((d) => [d.merge_tag, d.data_type]));
  const event = input.event ? { name: input.event.name ?? def.trigger.event ?? def.trigger.type, params: input.event.params ?? {} } : null;
  const ctx: ConditionContext = { contact: ctxContact, event, eventCounts: {}, engagement: {}, now };

  const path: { step_id: string; type: string; at: string; outcome: string; detail?: unknown }[] = [];
  const emails: { step_id: string; subject: string; html: string; text: string }[] = [];
  let at: Position | null = def.entry_step_id ? { step_id: def.entry_step_id, phase: "ready", wake_at: now } : null;
  let clock = now;
  let end: string = "completed";
  while (at) {
    const t = advance(def, at, { ...ctx, now: clock }, clock);
    for (const j of t.journal) {
      if (j.outcome === "waited") continue;
      path.push({
        step_id: j.step_id,
        type: j.type,
        at: new Date(j.at).toISOString(),
        outcome: j.outcome,
        ...(j.detail ? { detail: j.detail } : {}),
      });
    }
    for (const e of t.effects) {
      if (e.type !== "send_email") continue;
      const tpl = e.email.template_id ? await templateParts(db, accountId, e.email.template_id) : undefined;
      const parts = tpl ?? { subject: e.email.subject ?? "", html: e.email.html ?? "", text: e.email.text ?? "" };
      let rendered;
      try {
        rendered = await renderer.render(parts, {
          ...ctx.contact.fields,
          email,
          event,
          unsubscribe_url: "https://example.invalid/unsubscribe",
        });
      } catch (err) {
        if (err instanceof RenderUnavailableError) throw err;
        throw errors.validation({ [`steps/${e.stepId}/email`]: [`cannot render: ${err instanceof Error ? err.message : String(err)}`] });
      }
      emails.push({ step_id: e.stepId, ...rendered });
    }
    if (t.end) end = t.end.status === "exited" ? `exited:${t.end.reason}` : "completed";
    at = t.position;
    if (at?.phase === "waiting") clock = at.wake_at ?? clock;
  }
  return { path, emails, end };
}
