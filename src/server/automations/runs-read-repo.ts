import type { Kysely } from "kysely";
import type { Database, RunStatus } from "../db/schema.ts";
import { lowerColumnContains } from "../db/like.ts";

type Db = Kysely<Database>;

/** Merge tags whose values make up a contact's display name, in order. */
export const NAME_TAGS = ["name", "first_name", "last_name"] as const;

export interface RunFilter {
  status?: RunStatus;
  /** The step a run is at now. */
  stepId?: string;
  /** Case-insensitive substring of the contact's email. */
  email?: string;
  contactId?: string;
  /** Only runs older than this id (the previous page's last). */
  beforeId?: number;
  limit: number;
}

/** What a run view shows: the run and its contact's address and fields (null once erased). */
const RUN_COLUMNS = [
  "r.id",
  "r.automation_id",
  "r.contact_id",
  "r.status",
  "r.version",
  "r.step_id",
  "r.wake_at",
  "r.entered_at",
  "r.finished_at",
  "r.exit_reason",
  "c.email as contact_email",
  "c.fields as contact_fields",
] as const;

/**
 * One page of an automation's runs, newest first, each with its contact's email and stored
 * fields (null once the contact is erased). Ids grow with time, so the last id of a page is
 * the next page's cursor and a page never shifts when new runs arrive.
 */
export function listRuns(db: Db, accountId: number, automationId: number, f: RunFilter) {
  let q = db
    .selectFrom("runs as r")
    .leftJoin("contacts as c", (j) => j.onRef("c.account_id", "=", "r.account_id").onRef("c.id", "=", "r.contact_id"))
    .select(RUN_COLUMNS)
    .where("r.account_id", "=", accountId)
    .where("r.automation_id", "=", automationId);
  if (f.status) q = q.where("r.status", "=", f.status);
  if (f.stepId !== undefined) q = q.where("r.step_id", "=", f.stepId);
  if (f.contactId !== undefined) q = q.where("r.contact_id", "=", f.contactId);
  // Addresses are stored lower-cased, so a lower-cased pattern matches case-insensitively on both databases.
  if (f.email) q = q.where(lowerColumnContains("c.email", f.email));
  if (f.beforeId !== undefined) q = q.where("r.id", "<", f.beforeId);
  return q.orderBy("r.id", "desc").limit(f.limit).execute();
}

export type RunListRow = Awaited<ReturnType<typeof listRuns>>[number];

/** One run of the account with its contact and automation name; undefined when it is another account's. */
export function findRun(db: Db, accountId: number, runId: number) {
  return db
    .selectFrom("runs as r")
    .leftJoin("contacts as c", (j) => j.onRef("c.account_id", "=", "r.account_id").onRef("c.id", "=", "r.contact_id"))
    .innerJoin("automations as a", (j) => j.onRef("a.account_id", "=", "r.account_id").onRef("a.id", "=", "r.automation_id"))
    .select([...RUN_COLUMNS, "a.name as automation_name"])
    .where("r.account_id", "=", accountId)
    .where("r.id", "=", runId)
    .executeTakeFirst();
}

/** The run's journal (every step it entered), oldest first. */
export function runJournal(db: Db, accountId: number, runId: number) {
  return db
    .selectFrom("run_journal")
    .select(["step_id", "version", "type", "outcome", "detail", "at", "completed_at"])
    .where("account_id", "=", accountId)
    .where("run_id", "=", runId)
    .orderBy("at")
    .execute();
}

/** The emails the run's steps queued, with their delivery and engagement. */
export function runMessages(db: Db, accountId: number, runId: number) {
  return db
    .selectFrom("messages")
    .select(["id", "step_id", "to_email", "subject", "status", "created_at", "sent_at", "opened_at", "clicked_at", "error"])
    .where("account_id", "=", accountId)
    .where("run_id", "=", runId)
    .execute();
}

/** Ids of the account's fields that hold name parts, by merge tag. */
export async function nameFieldIds(db: Db, accountId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("fields")
    .select(["id", "merge_tag"])
    .where("account_id", "=", accountId)
    .where("merge_tag", "in", [...NAME_TAGS])
    .execute();
  return new Map(rows.map((r) => [r.merge_tag, r.id]));
}

/** Template names by id, for step labels. */
export async function templateNames(db: Db, accountId: number, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("email_templates")
    .select(["id", "name"])
    .where("account_id", "=", accountId)
    .where("id", "in", [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The definitions of the given versions of an automation, by version. */
export async function definitionsOf(
  db: Db,
  accountId: number,
  automationId: number,
  versions: readonly number[],
): Promise<Map<number, string>> {
  if (versions.length === 0) return new Map();
  const rows = await db
    .selectFrom("automation_versions")
    .select(["version", "definition"])
    .where("account_id", "=", accountId)
    .where("automation_id", "=", automationId)
    .where("version", "in", [...versions])
    .execute();
  return new Map(rows.map((r) => [r.version, r.definition]));
}
