import type { Kysely, Selectable } from "kysely";
import type { Database, FieldsTable } from "../db/schema.ts";

export type FieldRow = Selectable<FieldsTable>;

export function listFields(db: Kysely<Database>, accountId: number): Promise<FieldRow[]> {
  return db.selectFrom("fields").selectAll().where("account_id", "=", accountId).orderBy("id").execute();
}

export function findField(db: Kysely<Database>, accountId: number, id: number): Promise<FieldRow | undefined> {
  return db.selectFrom("fields").selectAll().where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}
