import type { Store } from "../db/connect.ts";
import { errors } from "../errors.ts";
import { findContact } from "../contacts/contacts-repo.ts";
import { definitionsOf } from "../automations/runs-read-repo.ts";
import { loadStepLabels } from "../automations/step-labels.ts";
import { DEFAULT_REENTRY_HOURS } from "../../core/engine/entry-rules.ts";
import type { Definition } from "../../core/flow/schema.ts";
import { contactChanges, contactMessages, contactRefusals, contactRuns, journalOfRuns, messageHits } from "./activity-repo.ts";

export interface ActivityItem {
  at: string;
  kind: string;
  [detail: string]: unknown;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A contact's journey, newest first: entries and exits, every step (with why a condition
 * went the way it did), emails, opens and clicks, custom events, and field, list and
 * subscription changes, and the entries an automation refused (re-entry window, quota).
 * Steps carry their name (`step_name`, the label or what the step does) beside the id; a
 * delay shows when its wait began and, separately, when it was over. Each source is read
 * newest-first up to the page size, then merged.
 */
export function activityService(store: Store) {
  const { db } = store;

  return {
    async list(accountId: number, identifier: string, page: { limit: number; before?: number }) {
      const contact = await findContact(db, accountId, identifier);
      if (!contact) throw errors.notFound();
      const before = page.before ?? Number.MAX_SAFE_INTEGER;
      const limit = page.limit;
      const items: (ActivityItem & { ms: number })[] = [];
      const add = (ms: number, kind: string, detail: Record<string, unknown>) => items.push({ ms, at: iso(ms), kind, ...detail });

      const p = { before, limit };
      const runs = await contactRuns(db, accountId, contact.id, p);
      const names = new Map(runs.map((r) => [r.id, r.name]));
      for (const r of runs) {
        add(r.entered_at, "run_entered", { run_id: r.id, automation_id: r.automation_id, automation: r.name });
        if (r.finished_at !== null && r.finished_at < before) {
          add(r.finished_at, r.status === "completed" ? "run_completed" : `run_${r.status}`, {
            run_id: r.id,
            automation_id: r.automation_id,
            automation: r.name,
            reason: r.exit_reason,
          });
        }
      }
      const steps =
        runs.length > 0
          ? await journalOfRuns(
              db,
              accountId,
              runs.map((r) => r.id),
              p,
            )
          : [];
      const messages = await contactMessages(db, accountId, contact.id, p);
      const refusals = await contactRefusals(db, accountId, contact.id, p);
      const label = await loadStepLabels(db, accountId, [
        ...steps.map((s) => ({ automationId: s.automation_id, version: s.version })),
        ...messages.map((m) => ({ automationId: m.automation_id, version: m.version })),
      ]);

      for (const s of steps) {
        const detail = {
          run_id: s.run_id,
          automation_id: s.automation_id,
          automation: names.get(s.run_id),
          step_id: s.step_id,
          step_name: label(s.automation_id, s.version, s.step_id),
          type: s.type,
        };
        const why = s.detail ? { why: JSON.parse(s.detail) as unknown } : {};
        // A delay is two moments: the wait began, and (later) it was over.
        if (s.completed_at !== null && s.completed_at !== s.at) {
          add(s.at, "step", { ...detail, outcome: "waiting" });
          if (s.completed_at < before) add(s.completed_at, "step", { ...detail, outcome: s.outcome, ...why });
        } else add(s.at, "step", { ...detail, outcome: s.outcome, ...why });
      }

      for (const m of messages) {
        const about = {
          message_id: m.id,
          run_id: m.run_id,
          step_id: m.step_id,
          step_name: label(m.automation_id, m.version, m.step_id),
          ...(m.subject ? { subject: m.subject } : {}),
        };
        add(m.created_at, m.status === "skipped" ? "email_skipped" : "email_queued", { ...about, ...(m.error ? { error: m.error } : {}) });
        if (m.sent_at !== null && m.sent_at < before) add(m.sent_at, "email_sent", about);
      }
      if (messages.length > 0) {
        for (const h of await messageHits(
          db,
          accountId,
          messages.map((m) => m.id),
          p,
        )) {
          add(h.created_at, `email_${h.kind === "open" ? "opened" : h.kind === "click" ? "clicked" : "unsubscribe_link"}`, {
            message_id: h.message_row_id,
            ...(h.url ? { url: h.url } : {}),
            bot: h.bot === 1,
          });
        }
      }

      // Why an automation did not let the contact in ("why didn't Bob get the email?").
      const defs = new Map<number, Definition>();
      for (const r of refusals) {
        if (r.reason !== "reentry" || defs.has(r.automation_id)) continue;
        const json = (await definitionsOf(db, accountId, r.automation_id, [r.version])).get(r.version);
        if (json) defs.set(r.automation_id, JSON.parse(json) as Definition);
      }
      for (const r of refusals) {
        const reentry =
          r.reason === "reentry" ? { reentry_hours: defs.get(r.automation_id)?.settings?.reentry_hours ?? DEFAULT_REENTRY_HOURS } : {};
        add(r.created_at, "entry_refused", { automation_id: r.automation_id, automation: r.name, reason: r.reason, ...reentry });
      }

      for (const c of await contactChanges(db, accountId, contact.id, p)) {
        const { v: _v, event_id: _e, ...payload } = JSON.parse(c.payload) as Record<string, unknown>;
        add(c.created_at, c.type === "custom_event" ? "event" : c.type.replace(/^contact_/, ""), payload);
      }

      items.sort((a, b) => b.ms - a.ms);
      const pageItems = items.slice(0, limit);
      const last = pageItems.at(-1);
      return {
        data: pageItems.map(({ ms: _ms, ...item }) => item),
        next_before: pageItems.length === limit && last ? last.at : null,
      };
    },
  };
}

export type ActivityService = ReturnType<typeof activityService>;
