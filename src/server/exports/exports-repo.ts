import type { Kysely, Selectable } from "kysely";
import type { Database, ExportsTable } from "../db/schema.ts";
import type { ExportFilter } from "./export-filter.ts";

export type ExportRow = Pick<Selectable<ExportsTable>, "id" | "account_id" | "status" | "created_at" | "updated_at">;
const VIEW = ["id", "account_id", "status", "created_at", "updated_at"] as const;

/** One page of the account's contacts matching every filter (list filters: any of the lists), by id after `after`. */
export function contactsPage(db: Kysely<Database>, accountId: number, filters: readonly ExportFilter[], after: string, limit: number) {
  let q = db.selectFrom("contacts").selectAll().where("account_id", "=", accountId).where("id", ">", after);
  for (const f of filters) {
    if (f.name === "subscription_status") q = q.where("status", "=", f.value);
    else
      q = q.where("id", "in", (eb) =>
        eb
          .selectFrom("contact_lists")
          .select("contact_id")
          .where("account_id", "=", accountId)
          .where("list_id", "in", f.value.length ? f.value : [-1]),
      );
  }
  return q.orderBy("id").limit(limit).execute();
}

export async function exportFilters(db: Kysely<Database>, id: number): Promise<ExportFilter[]> {
  const row = await db.selectFrom("exports").select(["filters"]).where("id", "=", id).executeTakeFirstOrThrow();
  return JSON.parse(row.filters) as ExportFilter[];
}

/** Stores the file, if this worker still holds the lease it was given. */
export async function finishExport(db: Kysely<Database>, id: number, csv: string, leaseUntil: number, now: number): Promise<void> {
  await db
    .updateTable("exports")
    .set({ status: "finished", csv, lease_until: null, updated_at: now })
    .where("id", "=", id)
    .where("lease_until", "=", leaseUntil)
    .execute();
}

export async function requeueExport(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db.updateTable("exports").set({ status: "created", lease_until: null, updated_at: now }).where("id", "=", id).execute();
}

export async function hasPendingExport(db: Kysely<Database>, accountId: number): Promise<boolean> {
  const row = await db
    .selectFrom("exports")
    .select("id")
    .where("account_id", "=", accountId)
    .where("status", "in", ["created", "started"])
    .executeTakeFirst();
  return row !== undefined;
}

export function insertExport(db: Kysely<Database>, accountId: number, filters: readonly ExportFilter[], now: number): Promise<ExportRow> {
  return db
    .insertInto("exports")
    .values({
      account_id: accountId,
      status: "created",
      filters: JSON.stringify(filters),
      csv: null,
      lease_until: null,
      created_at: now,
      updated_at: now,
    })
    .returning(VIEW)
    .executeTakeFirstOrThrow();
}

export function findExport(db: Kysely<Database>, accountId: number, id: number): Promise<ExportRow | undefined> {
  return db.selectFrom("exports").select(VIEW).where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}

export async function exportFile(db: Kysely<Database>, accountId: number, id: number): Promise<string | undefined> {
  const row = await db
    .selectFrom("exports")
    .select(["csv", "status"])
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row?.status === "finished" && row.csv !== null ? row.csv : undefined;
}
