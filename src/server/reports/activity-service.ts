import type { Store } from "../db/connect.ts";
import { errors } from "../errors.ts";
import { findContact } from "../contacts/contacts-repo.ts";

export interface ActivityItem {
  at: string;
  kind: string;
  [detail: string]: unknown;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A contact's journey, newest first: entries and exits, every step (with why a condition
 * went the way it did), emails, opens and clicks, custom events, and field, list and
 * subscription changes. Each source is read newest-first up to the page size, then merged.
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

      const runs = await db
        .selectFrom("runs as r")
        .innerJoin("automations as a", (j) => j.onRef("a.id", "=", "r.automation_id").onRef("a.account_id", "=", "r.account_id"))
        .select(["r.id", "r.automation_id", "a.name", "r.entered_at", "r.finished_at", "r.status", "r.exit_reason"])
        .where("r.account_id", "=", accountId)
        .where("r.contact_id", "=", contact.id)
        .where("r.entered_at", "<", before)
        .orderBy("r.entered_at", "desc")
        .limit(limit)
        .execute();
      const names = new Map(runs.map((r) => [r.id, r.name]));
      for (const r of runs) {
        add(r.entered_at, "run_entered", { run_id: r.id, automation_id: r.automation_id, automation: r.name });
        if (r.finished_at !== null && r.finished_at < before) {
          add(r.finished_at, r.status === "completed" ? "run_completed" : `run_${r.status}`, { run_id: r.id, automation_id: r.automation_id, automation: r.name, reason: r.exit_reason });
        }
      }
      if (runs.length > 0) {
        const steps = await db
          .selectFrom("run_journal")
          .select(["run_id", "automation_id", "step_id", "type", "outcome", "detail", "at"])
          .where("account_id", "=", accountId)
          .where("run_id", "in", runs.map((r) => r.id))
          .where("at", "<", before)
          .orderBy("at", "desc")
          .limit(limit)
          .execute();
        for (const s of steps) {
          add(s.at, "step", { run_id: s.run_id, automation: names.get(s.run_id), step_id: s.step_id, type: s.type, outcome: s.outcome, ...(s.detail ? { why: JSON.parse(s.detail) } : {}) });
        }
      }

      const messages = await db
        .selectFrom("messages")
        .select(["id", "run_id", "step_id", "automation_id", "status", "created_at", "sent_at", "error"])
        .where("account_id", "=", accountId)
        .where("contact_id", "=", contact.id)
        .where("created_at", "<", before)
        .orderBy("created_at", "desc")
        .limit(limit)
        .execute();
      for (const m of messages) {
        add(m.created_at, m.status === "skipped" ? "email_skipped" : "email_queued", { message_id: m.id, run_id: m.run_id, step_id: m.step_id, ...(m.error ? { error: m.error } : {}) });
        if (m.sent_at !== null && m.sent_at < before) add(m.sent_at, "email_sent", { message_id: m.id, step_id: m.step_id });
      }
      if (messages.length > 0) {
        const hits = await db
          .selectFrom("message_events")
          .select(["message_row_id", "kind", "url", "bot", "created_at"])
          .where("account_id", "=", accountId)
          .where("message_row_id", "in", messages.map((m) => m.id))
          .where("created_at", "<", before)
          .orderBy("created_at", "desc")
          .limit(limit)
          .execute();
        for (const h of hits) add(h.created_at, `email_${h.kind === "open" ? "opened" : h.kind === "click" ? "clicked" : "unsubscribe_link"}`, { message_id: h.message_row_id, ...(h.url ? { url: h.url } : {}), bot: h.bot === 1 });
      }

      const changes = await db
        .selectFrom("trigger_events")
        .select(["type", "payload", "created_at"])
        .where("account_id", "=", accountId)
        .where("contact_id", "=", contact.id)
        .where("created_at", "<", before)
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      for (const c of changes) {
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
