import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, FieldsTable } from "../db/schema.ts";
import { dialectOf } from "../db/dialect-of.ts";

export type FieldRow = Selectable<FieldsTable>;

export function listFields(db: Kysely<Database>, accountId: number): Promise<FieldRow[]> {
  return db.selectFrom("fields").selectAll().where("account_id", "=", accountId).orderBy("id").execute();
}

export function findField(db: Kysely<Database>, accountId: number, id: number): Promise<FieldRow | undefined> {
  return db.selectFrom("fields").selectAll().where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}

export function insertField(db: Kysely<Database>, row: Insertable<FieldsTable>): Promise<FieldRow> {
  return db.insertInto("fields").values(row).returningAll().executeTakeFirstOrThrow();
}

export function renameField(
  db: Kysely<Database>,
  accountId: number,
  id: number,
  set: Pick<FieldRow, "name" | "merge_tag" | "updated_at">,
): Promise<FieldRow> {
  return db
    .updateTable("fields")
    .set(set)
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes the field and, in the same transaction, its value from every contact of the account. */
export async function deleteFieldAndValues(db: Kysely<Database>, accountId: number, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await dialectOf(trx).removeFieldValues(trx, accountId, id);
    await trx.deleteFrom("fields").where("account_id", "=", accountId).where("id", "=", id).execute();
  });
}
