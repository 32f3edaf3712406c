import type { FieldDataType } from "../contacts/field-value.ts";
import type { Definition } from "../flow/schema.ts";
import { type Bump, type RefusalReason, refusedCounter } from "./counter-names.ts";
import { runContext, triggerMatches, type TriggerEventView } from "./trigger-match.ts";

/**
 * The dispatcher's decisions, pure: which trigger events start which automations, and which
 * of those entries are refused (the contact is gone, it entered the same automation within
 * the re-entry window, the account's monthly quota is spent). The dispatcher loads the
 * events and the facts, calls these, and persists the plan.
 */

export const DEFAULT_REENTRY_HOURS = 24;

/** An undispatched trigger event, its payload parsed. */
export interface EntryEvent {
  id: number;
  account_id: number;
  contact_id: string;
  type: string;
  payload: Record<string, unknown>;
}

/** An active automation at its current version. */
export interface LiveAutomation {
  id: number;
  version: number;
  def: Definition;
}

/** An event that matches an automation's trigger: a run, unless an entry rule refuses it. */
export interface EntryCandidate {
  event: EntryEvent;
  automation: LiveAutomation;
  view: TriggerEventView;
}

/** What the entry rules need to know, loaded in bulk for the candidates. */
export interface EntryFacts {
  /** The contacts that exist, keyed `entryKey(account, contact)`. */
  contacts: ReadonlySet<string>;
  /** The last time each contact entered each automation, keyed `reentryKey(automation, contact)`. */
  lastEntered: ReadonlyMap<string, number>;
  /** Each account's monthly run quota (0: none) and the runs it started this month. */
  quota: ReadonlyMap<number, { limit: number; used: number }>;
}

export interface NewRun {
  account_id: number;
  automation_id: number;
  version: number;
  contact_id: string;
  status: "active";
  step_id: string | null;
  phase: "ready";
  wake_at: number;
  trigger_event_id: number;
  context: string;
  entered_at: number;
}

export interface Refusal {
  account_id: number;
  automation_id: number;
  contact_id: string;
  reason: RefusalReason;
  trigger_event_id: number;
  created_at: number;
}

export interface EntryPlan {
  runs: NewRun[];
  refusals: Refusal[];
  /** Runs started this month per account, after this batch (every account with candidates). */
  quotaUsed: Map<number, number>;
  bumps: Bump[];
}

export const contactKey = (accountId: number, contactId: string): string => `${accountId}:${contactId}`;
export const reentryKey = (automationId: number, contactId: string): string => `${automationId}:${contactId}`;

/** The UTC month (`YYYY-MM`) a quota counts in. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** Every (event, automation) whose trigger matches, in event order then automation order. */
export function matchEntries(
  events: readonly EntryEvent[],
  automations: ReadonlyMap<number, readonly LiveAutomation[]>,
  fieldTypes: ReadonlyMap<number, ReadonlyMap<string, FieldDataType>>,
): EntryCandidate[] {
  const out: EntryCandidate[] = [];
  for (const event of events) {
    const live = automations.get(event.account_id) ?? [];
    if (live.length === 0) continue;
    const view: TriggerEventView = { type: event.type, payload: event.payload };
    for (const automation of live) {
      const trigger = automation.def.trigger;
      const tag = trigger.type === "contact_field_updated" ? trigger.field : undefined;
      if (triggerMatches(trigger, view, fieldTypes.get(event.account_id)?.get(tag ?? ""))) out.push({ event, automation, view });
    }
  }
  return out;
}

function refusalOf(
  c: EntryCandidate,
  facts: EntryFacts,
  lastEntered: ReadonlyMap<string, number>,
  quota: { limit: number; used: number },
  now: number,
): RefusalReason | null {
  if (!facts.contacts.has(contactKey(c.event.account_id, c.event.contact_id))) return "contact_deleted";
  const last = lastEntered.get(reentryKey(c.automation.id, c.event.contact_id));
  const reentryMs = (c.automation.def.settings?.reentry_hours ?? DEFAULT_REENTRY_HOURS) * 3_600_000;
  if (last !== undefined && now - last < reentryMs) return "reentry";
  if (quota.limit > 0 && quota.used >= quota.limit) return "quota";
  return null;
}

/**
 * Applies the entry rules to the candidates in order: an entry counts against the quota and
 * opens the re-entry window for the candidates after it in the same batch.
 */
export function decideEntries(candidates: readonly EntryCandidate[], facts: EntryFacts, now: number): EntryPlan {
  const lastEntered = new Map(facts.lastEntered);
  const quota = new Map([...facts.quota].map(([id, q]) => [id, { ...q }]));
  const plan: EntryPlan = { runs: [], refusals: [], quotaUsed: new Map(), bumps: [] };
  for (const c of candidates) {
    const { event: e, automation: a } = c;
    const q = quota.get(e.account_id) ?? { limit: 0, used: 0 };
    const reason = refusalOf(c, facts, lastEntered, q, now);
    const at = { account_id: e.account_id, automation_id: a.id, step_id: "", at: now };
    if (reason !== null) {
      plan.refusals.push({
        account_id: e.account_id,
        automation_id: a.id,
        contact_id: e.contact_id,
        reason,
        trigger_event_id: e.id,
        created_at: now,
      });
      plan.bumps.push({ ...at, metric: refusedCounter(reason) });
      continue;
    }
    q.used++;
    quota.set(e.account_id, q);
    lastEntered.set(reentryKey(a.id, e.contact_id), now);
    plan.runs.push({
      account_id: e.account_id,
      automation_id: a.id,
      version: a.version,
      contact_id: e.contact_id,
      status: "active",
      step_id: a.def.entry_step_id ?? null,
      phase: "ready",
      wake_at: now,
      trigger_event_id: e.id,
      context: JSON.stringify(runContext(c.view)),
      entered_at: now,
    });
    plan.bumps.push({ ...at, metric: "entered" });
  }
  for (const [id, q] of quota) plan.quotaUsed.set(id, q.used);
  return plan;
}
