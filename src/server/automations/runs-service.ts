import type { Store } from "../db/connect.ts";
import type { RunStatus } from "../db/schema.ts";
import { errors } from "../errors.ts";
import { decodeIdCursor, encodeIdCursor } from "../http/cursor.ts";
import { findContact, parseStoredFields } from "../contacts/contacts-repo.ts";
import { findAutomation } from "./automations-repo.ts";
import { findRun, listRuns, NAME_TAGS, nameFieldIds, runJournal, runMessages, type RunListRow } from "./runs-read-repo.ts";
import { loadStepLabels } from "./step-labels.ts";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export interface RunsQuery {
  status?: RunStatus;
  step_id?: string;
  email?: string;
  /** A contact's uuid or email (exact). */
  contact?: string;
  limit?: number;
  cursor?: string;
}

/** "Ann Lee" from the name fields the contact has (`name`, or `first_name` + `last_name`); null without any. */
function contactName(fieldsJson: string | null, ids: Map<string, number>): string | null {
  if (fieldsJson === null || ids.size === 0) return null;
  const values = parseStoredFields(fieldsJson);
  const part = (tag: string) => {
    const id = ids.get(tag);
    const v = id === undefined ? undefined : values[String(id)];
    return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
  };
  const full = part(NAME_TAGS[0]);
  if (full) return full;
  const joined = [part(NAME_TAGS[1]), part(NAME_TAGS[2])].filter((p) => p !== null).join(" ");
  return joined === "" ? null : joined;
}

function runView(r: RunListRow, names: Map<string, number>) {
  return {
    id: Number(r.id),
    automation_id: Number(r.automation_id),
    contact_id: r.contact_id,
    contact_email: r.contact_email ?? null,
    contact_name: contactName(r.contact_fields ?? null, names),
    status: r.status,
    version: r.version,
    current_step_id: r.status === "active" ? r.step_id : null,
    wake_at: r.status === "active" ? iso(r.wake_at) : null,
    entered_at: iso(r.entered_at)!,
    finished_at: iso(r.finished_at),
    exit_reason: r.exit_reason,
  };
}

/**
 * The run inspector (DESIGN.md §9): an automation's runs with their contacts, filtered and
 * paged by cursor, and one run with its journal — every step it entered, when, how it went
 * and why, with the email each send step queued.
 */
export function runsService(store: Store) {
  const { db } = store;

  return {
    async list(accountId: number, automationId: number, q: RunsQuery) {
      if (!(await findAutomation(db, accountId, automationId))) throw errors.notFound();
      const beforeId = q.cursor === undefined ? undefined : decodeIdCursor(q.cursor);
      const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
      let contactId: string | undefined;
      if (q.contact) {
        // An unknown contact has no runs.
        const row = await findContact(db, accountId, q.contact.trim());
        if (!row) return { data: [], next_cursor: null };
        contactId = row.id;
      }
      const rows = await listRuns(db, accountId, automationId, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.step_id !== undefined && q.step_id !== "" ? { stepId: q.step_id } : {}),
        ...(q.email ? { email: q.email } : {}),
        ...(contactId !== undefined ? { contactId } : {}),
        ...(beforeId !== undefined ? { beforeId } : {}),
        // One more than asked: whether it exists says whether there is a next page.
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const names = await nameFieldIds(db, accountId);
      const last = page.at(-1);
      return {
        data: page.map((r) => runView(r, names)),
        next_cursor: rows.length > limit && last ? encodeIdCursor(Number(last.id)) : null,
      };
    },

    async get(accountId: number, runId: number) {
      const run = await findRun(db, accountId, runId);
      if (!run) throw errors.notFound();
      const [journal, messages, names] = await Promise.all([
        runJournal(db, accountId, runId),
        runMessages(db, accountId, runId),
        nameFieldIds(db, accountId),
      ]);
      const automationId = Number(run.automation_id);
      const versions = new Set([run.version, ...journal.map((j) => j.version)]);
      const label = await loadStepLabels(
        db,
        accountId,
        [...versions].map((version) => ({ automationId, version })),
      );
      const byStep = new Map(messages.map((m) => [m.step_id, m]));
      return {
        ...runView(run, names),
        automation_name: run.automation_name,
        current_step_name: run.status === "active" && run.step_id ? label(automationId, run.version, run.step_id) : null,
        journal: journal.map((j) => {
          const m = byStep.get(j.step_id);
          return {
            step_id: j.step_id,
            step_name: label(automationId, j.version, j.step_id),
            type: j.type,
            outcome: j.outcome,
            at: iso(j.at)!,
            completed_at: iso(j.completed_at),
            detail: j.detail === null ? null : (JSON.parse(j.detail) as unknown),
            ...(m
              ? {
                  message: {
                    id: Number(m.id),
                    to: m.to_email,
                    subject: m.subject,
                    status: m.status,
                    created_at: iso(m.created_at)!,
                    sent_at: iso(m.sent_at),
                    opened_at: iso(m.opened_at),
                    clicked_at: iso(m.clicked_at),
                    error: m.error,
                  },
                }
              : {}),
          };
        }),
      };
    },
  };
}

export type RunsService = ReturnType<typeof runsService>;
