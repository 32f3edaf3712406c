import type { Kysely, Selectable } from "kysely";
import type { AutomationsTable, Database } from "../db/schema.ts";
import type { Definition } from "../../core/flow/schema.ts";
import type { Catalog } from "../../core/flow/validate.ts";
import { listFields } from "../fields/fields-repo.ts";

type Db = Kysely<Database>;
export type AutomationRow = Selectable<AutomationsTable>;

export function findAutomation(db: Db, accountId: number, id: number): Promise<AutomationRow | undefined> {
  return db
    .selectFrom("automations")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function loadDefinition(db: Db, accountId: number, automationId: number, version: number): Promise<Definition> {
  const row = await db
    .selectFrom("automation_versions")
    .select("definition")
    .where("account_id", "=", accountId)
    .where("automation_id", "=", automationId)
    .where("version", "=", version)
    .executeTakeFirstOrThrow();
  return JSON.parse(row.definition) as Definition;
}

/** The lists, fields and templates an account holds, for reference checks. */
export async function loadCatalog(db: Db, accountId: number): Promise<Catalog> {
  const [lists, fields, templates] = await Promise.all([
    db.selectFrom("lists").select(["id", "name"]).where("account_id", "=", accountId).execute(),
    listFields(db, accountId),
    db.selectFrom("email_templates").select(["id", "name"]).where("account_id", "=", accountId).execute(),
  ]);
  // Names too, so the 422 of an activation names steps and lists the way the builder shows them.
  const listNames = new Map(lists.map((l) => [l.id, l.name]));
  const templateNames = new Map(templates.map((t) => [t.id, t.name]));
  const fieldNames = new Map(fields.map((f) => [f.merge_tag, f.name]));
  return {
    lists: new Set(listNames.keys()),
    fields: new Map(fields.map((f) => [f.merge_tag, f.data_type])),
    templates: new Set(templateNames.keys()),
    names: { list: (id) => listNames.get(id), template: (id) => templateNames.get(id), field: (tag) => fieldNames.get(tag) },
  };
}

/** Merge tags a definition reads or writes: its trigger, update_field steps and field rules. */
export function fieldsUsedBy(def: Definition): Set<string> {
  const used = new Set<string>();
  if (def.trigger.field) used.add(def.trigger.field);
  for (const s of def.steps) {
    if (s.type === "update_field" && s.field) used.add(s.field);
    if (s.type === "condition") for (const r of s.rules ?? []) if (r.kind === "field" && r.field) used.add(r.field);
  }
  return used;
}

/** List ids a definition reads or writes: its trigger, list steps and list rules. */
export function listsUsedBy(def: Definition): Set<number> {
  const used = new Set<number>(def.trigger.list_ids ?? []);
  for (const s of def.steps) {
    if (s.type === "add_to_lists" || s.type === "remove_from_lists") for (const id of s.list_ids ?? []) used.add(id);
    if (s.type === "condition") for (const r of s.rules ?? []) if (r.kind === "list" && r.list_id !== undefined) used.add(r.list_id);
  }
  return used;
}

/** Name and current definition of every automation of the account that is not deleted. */
function currentDefinitions(db: Db, accountId: number) {
  return db
    .selectFrom("automations as a")
    .innerJoin("automation_versions as v", (j) =>
      j.onRef("v.account_id", "=", "a.account_id").onRef("v.automation_id", "=", "a.id").onRef("v.version", "=", "a.version"),
    )
    .select(["a.name", "v.definition"])
    .where("a.account_id", "=", accountId)
    .where("a.deleted_at", "is", null)
    .orderBy("a.id")
    .execute();
}

/** Names of the account's automations whose current version uses the merge tag. */
export async function automationsUsingField(db: Db, accountId: number, mergeTag: string): Promise<string[]> {
  const rows = await currentDefinitions(db, accountId);
  return rows.filter((r) => fieldsUsedBy(JSON.parse(r.definition) as Definition).has(mergeTag)).map((r) => r.name);
}

/** Names of the account's automations whose current version uses the list. */
export async function automationsUsingList(db: Db, accountId: number, listId: number): Promise<string[]> {
  const rows = await currentDefinitions(db, accountId);
  return rows.filter((r) => listsUsedBy(JSON.parse(r.definition) as Definition).has(listId)).map((r) => r.name);
}

/** The account's automations that are not deleted, oldest first. */
export function listAutomations(db: Db, accountId: number): Promise<AutomationRow[]> {
  return db
    .selectFrom("automations")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("deleted_at", "is", null)
    .orderBy("id")
    .execute();
}

export async function countAutomations(db: Db, accountId: number): Promise<number> {
  const row = await db
    .selectFrom("automations")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("account_id", "=", accountId)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A new draft with its first version. */
export async function insertAutomation(db: Db, accountId: number, def: Definition, now: number): Promise<AutomationRow> {
  const row = await db
    .insertInto("automations")
    .values({
      account_id: accountId,
      name: def.name,
      status: "draft",
      version: 1,
      published: 0,
      trigger_type: def.trigger.type,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertVersion(db, accountId, row.id, 1, def, now);
  return row;
}

export async function insertVersion(
  db: Db,
  accountId: number,
  automationId: number,
  version: number,
  def: Definition,
  now: number,
): Promise<void> {
  await db
    .insertInto("automation_versions")
    .values({ account_id: accountId, automation_id: automationId, version, definition: JSON.stringify(def), created_at: now })
    .execute();
}

/** Rewrites a version in place: only for a draft that never ran. */
export async function rewriteVersion(
  db: Db,
  accountId: number,
  automationId: number,
  version: number,
  def: Definition,
  now: number,
): Promise<void> {
  await db
    .updateTable("automation_versions")
    .set({ definition: JSON.stringify(def), created_at: now })
    .where("account_id", "=", accountId)
    .where("automation_id", "=", automationId)
    .where("version", "=", version)
    .execute();
}

/** Sets the automation's row (name, trigger type, status, version…) and answers it as it is now. */
export function updateAutomation(
  db: Db,
  accountId: number,
  id: number,
  set: Partial<Pick<AutomationRow, "name" | "trigger_type" | "status" | "version" | "published" | "updated_at" | "deleted_at">>,
): Promise<AutomationRow> {
  return db
    .updateTable("automations")
    .set(set)
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listVersions(db: Db, accountId: number, automationId: number) {
  return db
    .selectFrom("automation_versions")
    .select(["version", "created_at", "definition"])
    .where("account_id", "=", accountId)
    .where("automation_id", "=", automationId)
    .orderBy("version")
    .execute();
}

/** The parts of one of the account's templates, as a step that names it sends them. */
export async function templateParts(
  db: Db,
  accountId: number,
  id: number,
): Promise<{ subject: string; html: string; text: string } | undefined> {
  const t = await db
    .selectFrom("email_templates")
    .select(["subject", "body_html", "body_text"])
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .executeTakeFirst();
  return t && { subject: t.subject, html: t.body_html, text: t.body_text };
}
