import { v7 as uuidv7 } from "uuid";
import type { Store } from "../db/connect.ts";
import type { PlannerStats } from "../db/planner-stats.ts";
import type { Clock } from "../clock.ts";
import { errors, type FieldErrors } from "../errors.ts";
import { emailProblem, normalizeEmail } from "../../core/contacts/email.ts";
import type { FieldValue } from "../../core/contacts/field-value.ts";
import { listFields } from "../fields/fields-repo.ts";
import { missingListIds } from "../lists/lists-repo.ts";
import { countContacts } from "../contacts/contacts-repo.ts";
import { readContacts, withContactRaces } from "../contacts/contact-writer.ts";
import { failImport, findImport, finishImport, insertImport, nextChunk, recordChunk } from "./imports-repo.ts";
import { resolveFieldInput } from "../contacts/field-input.ts";
import { suppressedAmong } from "../contacts/suppressions-repo.ts";
import type { JobHandler } from "../background/job-runner.ts";

export const IMPORT_MAX = 50_000;
/** Contacts per chunk row: the job applies one chunk per transaction. */
const IMPORT_CHUNK = 1000;

export interface ImportContactInput {
  email: string;
  fields?: Record<string, unknown>;
  list_ids_included?: number[];
  list_ids_excluded?: number[];
}

/** A validated contact as the job stores it: field values already keyed by field id. */
interface QueuedContact {
  e: string;
  f: [number, FieldValue][];
  i: number[];
  x: number[];
}

export interface ImportView {
  id: number;
  status: "created" | "started" | "finished" | "failed";
  created_contacts_count?: number;
  updated_contacts_count?: number;
  contacts_over_limit_count?: number;
}

export function importsService(
  store: Store,
  clock: Clock,
  opts: { maxContacts: number; onQueued?: () => void; onApplied?: () => void; stats?: PlannerStats },
) {
  const { db } = store;

  /** Validates every contact up front: one bad contact refuses the whole import, naming each. */
  async function validate(accountId: number, contacts: ImportContactInput[]): Promise<QueuedContact[]> {
    if (contacts.length > IMPORT_MAX) {
      throw errors.importValidation([
        { email: contacts[IMPORT_MAX]?.email ?? "", errors: { base: [`cannot import more than ${IMPORT_MAX} contacts at once`] } },
      ]);
    }
    const defs = await listFields(db, accountId);
    const allListIds = contacts.flatMap((c) => [...(c.list_ids_included ?? []), ...(c.list_ids_excluded ?? [])]);
    const missing = new Set(await missingListIds(db, accountId, allListIds));
    const refused: { email: string; errors: FieldErrors }[] = [];
    const queued: QueuedContact[] = [];
    for (const c of contacts) {
      const problems: FieldErrors = {};
      const email = normalizeEmail(c.email);
      const emailIssue = emailProblem(email);
      if (emailIssue) problems["email"] = [emailIssue];
      const { values, problems: fieldProblems } = resolveFieldInput(defs, c.fields);
      for (const [tag, msgs] of Object.entries(fieldProblems)) {
        if (tag === "fields") (problems["field_merge_tag"] ??= []).push(...msgs);
        else (problems["fields"] ??= []).push(...msgs.map((m) => `${tag} ${m}`));
      }
      const inc = c.list_ids_included ?? [];
      const exc = c.list_ids_excluded ?? [];
      const both = inc.filter((id) => exc.includes(id));
      if (both.length > 0) (problems["base"] ??= []).push(`same list_ids ${both.join(", ")} are specified both as included and excluded`);
      const unknown = [...inc, ...exc].filter((id) => missing.has(id));
      if (unknown.length > 0) (problems["base"] ??= []).push(`lists not found: ${[...new Set(unknown)].join(", ")}`);
      if (Object.keys(problems).length > 0) refused.push({ email: c.email, errors: problems });
      else queued.push({ e: email, f: [...values], i: inc, x: exc });
    }
    if (refused.length > 0) throw errors.importValidation(refused);
    return queued;
  }

  /**
   * Applies the next chunk in one transaction: its contacts, the chunk's deletion and the
   * progress, fenced on the progress it started from (if another worker took the import
   * over and moved on, this commits nothing). Answers how many contacts it applied, 0 when
   * no chunk is left.
   */
  async function applyNextChunk(job: { id: number; account_id: number }, leaseUntil: number): Promise<number> {
    const accountId = job.account_id;
    return await db.transaction().execute(async (trx) => {
      const { processed, chunk } = await nextChunk(trx, job.id);
      if (!chunk) return 0;
      const batch = JSON.parse(chunk.contacts) as QueuedContact[];
      const now = clock.now();
      const defs = await listFields(trx, accountId);
      const tags = new Map(defs.map((d) => [d.id, d.merge_tag]));
      const emails = [...new Set(batch.map((c) => c.e))];
      // Each contact written once, over the version read (an engine step that changed it
      // meanwhile makes the chunk start again from a fresh read); the same address twice in
      // one chunk folds into one write.
      const contacts = await readContacts(trx, accountId, { emails }, tags);
      const suppressed = await suppressedAmong(
        trx,
        accountId,
        emails.filter((e) => !contacts.current(e)),
      );
      let room = opts.maxContacts > 0 ? Math.max(0, opts.maxContacts - (await countContacts(trx, accountId))) : Infinity;
      const seen = new Set<string>();
      let created = 0;
      let updated = 0;
      let overLimit = 0;
      for (const c of batch) {
        const change = { fields: new Map(c.f), listsIncluded: c.i, listsExcluded: c.x };
        const first = !seen.has(c.e);
        seen.add(c.e);
        if (contacts.current(c.e)) {
          contacts.change(c.e, change);
          if (first) updated++;
        } else if (room <= 0) {
          overLimit++;
        } else {
          room--;
          created++;
          contacts.create({ id: uuidv7(), email: c.e, status: suppressed.has(c.e) ? "unsubscribed" : "subscribed" }, change);
        }
      }
      await contacts.persist(now);
      const applied = {
        seq: chunk.seq,
        processed,
        size: batch.length,
        created,
        updated,
        overLimit,
        leaseUntil: Math.max(leaseUntil, now + 60_000),
      };
      if (!(await recordChunk(trx, job.id, applied, now))) throw new Error("import lease lost");
      return batch.length;
    });
  }

  const handler: JobHandler = {
    table: "imports",
    async run(job, leaseUntil) {
      for (;;) {
        // A chunk that lost a race (a contact changed by an engine step since it was read, or a
        // deadlock between the two) is rolled back whole and applied again from a fresh read.
        const applied = await withContactRaces(() => applyNextChunk(job, leaseUntil));
        if (applied === 0) break;
        // Each contact created or changed also wrote its trigger event.
        await opts.stats?.wrote("contacts", applied);
        await opts.stats?.wrote("trigger_events", applied);
        opts.onApplied?.();
      }
      await finishImport(db, job.id, clock.now());
    },
    async fail(job) {
      await failImport(db, job.id, clock.now());
    },
  };

  return {
    handler,

    async create(accountId: number, contacts: ImportContactInput[]): Promise<ImportView> {
      const queued = await validate(accountId, contacts);
      const now = clock.now();
      const chunks: string[] = [];
      for (let seq = 0; seq * IMPORT_CHUNK < queued.length; seq++)
        chunks.push(JSON.stringify(queued.slice(seq * IMPORT_CHUNK, (seq + 1) * IMPORT_CHUNK)));
      const row = await db.transaction().execute((trx) => insertImport(trx, accountId, chunks, now));
      opts.onQueued?.();
      return { id: row.id, status: row.status };
    },

    async get(accountId: number, id: number): Promise<ImportView> {
      const row = await findImport(db, accountId, id);
      if (!row) throw errors.notFound();
      if (row.status !== "finished") return { id: row.id, status: row.status };
      return {
        id: row.id,
        status: row.status,
        created_contacts_count: row.created_count,
        updated_contacts_count: row.updated_count,
        contacts_over_limit_count: row.over_limit_count,
      };
    },
  };
}

export type ImportsService = ReturnType<typeof importsService>;
