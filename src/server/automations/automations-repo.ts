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
    db.selectFrom("lists").select("id").where("account_id", "=", accountId).execute(),
    listFields(db, accountId),
    db.selectFrom("email_templates").select("id").where("account_id", "=", accountId).execute(),
  ]);
  return {
    lists: new Set(lists.map((l) => l.id)),
    fields: new Map(fields.map((f) => [f.merge_tag, f.data_type])),
    templates: new Set(templates.map((t) => t.id)),
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

/** Names of the account's automations whose current version uses the merge tag. */
export async function automationsUsingField(db: Db, accountId: number, mergeTag: string): Promise<string[]> {
  const rows = await db
    .selectFrom("automations as a")
    .innerJoin("automation_versions as v", (j) =>
      j.onRef("v.account_id", "=", "a.account_id").onRef("v.automation_id", "=", "a.id").onRef("v.version", "=", "a.version"),
    )
    .select(["a.name", "v.definition"])
    .where("a.account_id", "=", accountId)
    .where("a.deleted_at", "is", null)
    .execute();
  return rows.filter((r) => fieldsUsedBy(JSON.parse(r.definition) as Definition).has(mergeTag)).map((r) => r.name);
}
