import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database, EmailTemplatesTable } from "../db/schema.ts";

type Db = Kysely<Database>;
export type TemplateRow = Selectable<EmailTemplatesTable>;

export function findTemplate(db: Db, accountId: number, id: number): Promise<TemplateRow | undefined> {
  return db.selectFrom("email_templates").selectAll().where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}

export function listTemplates(db: Db, accountId: number): Promise<TemplateRow[]> {
  return db.selectFrom("email_templates").selectAll().where("account_id", "=", accountId).orderBy("id").execute();
}

export function insertTemplate(db: Db, row: Insertable<EmailTemplatesTable>): Promise<TemplateRow> {
  return db.insertInto("email_templates").values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateTemplate(db: Db, accountId: number, id: number, set: Updateable<EmailTemplatesTable>): Promise<TemplateRow> {
  return db
    .updateTable("email_templates")
    .set(set)
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteTemplate(db: Db, accountId: number, id: number): Promise<void> {
  await db.deleteFrom("email_templates").where("account_id", "=", accountId).where("id", "=", id).execute();
}
