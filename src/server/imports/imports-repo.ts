import type { Kysely, Selectable } from "kysely";
import type { Database, ImportsTable } from "../db/schema.ts";

type Db = Kysely<Database>;

export type ImportRow = Selectable<ImportsTable>;

/** A new import with its contacts split into chunk rows (already serialised), in the caller's transaction. */
export async function insertImport(
  db: Db,
  accountId: number,
  chunks: readonly string[],
  now: number,
): Promise<Pick<ImportRow, "id" | "status">> {
  const created = await db
    .insertInto("imports")
    .values({
      account_id: accountId,
      status: "created",
      processed: 0,
      created_count: 0,
      updated_count: 0,
      over_limit_count: 0,
      lease_until: null,
      created_at: now,
      updated_at: now,
    })
    .returning(["id", "status"])
    .executeTakeFirstOrThrow();
  const rows = chunks.map((contacts, seq) => ({ import_id: created.id, seq, contacts }));
  // 100 rows of 3 values per statement, well under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 100)
    await db
      .insertInto("import_chunks")
      .values(rows.slice(i, i + 100))
      .execute();
  return created;
}

export function findImport(db: Db, accountId: number, id: number): Promise<ImportRow | undefined> {
  return db.selectFrom("imports").selectAll().where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
}

/** How far the import got, and its next chunk (applied chunks are deleted with their progress: the first left is the next). */
export async function nextChunk(
  db: Db,
  importId: number,
): Promise<{ processed: number; chunk: { seq: number; contacts: string } | undefined }> {
  const { processed } = await db.selectFrom("imports").select("processed").where("id", "=", importId).executeTakeFirstOrThrow();
  const chunk = await db
    .selectFrom("import_chunks")
    .select(["seq", "contacts"])
    .where("import_id", "=", importId)
    .orderBy("seq")
    .limit(1)
    .executeTakeFirst();
  return { processed, chunk };
}

export interface ChunkApplied {
  seq: number;
  /** The progress the chunk was applied from, and the contacts it held. */
  processed: number;
  size: number;
  created: number;
  updated: number;
  overLimit: number;
  leaseUntil: number;
}

/**
 * Deletes an applied chunk and moves the progress on, fenced on the progress it started
 * from: false when another worker took the import over and moved on (the caller must roll back).
 */
export async function recordChunk(db: Db, importId: number, c: ChunkApplied, now: number): Promise<boolean> {
  await db.deleteFrom("import_chunks").where("import_id", "=", importId).where("seq", "=", c.seq).execute();
  const fenced = await db
    .updateTable("imports")
    .set((eb) => ({
      processed: c.processed + c.size,
      lease_until: c.leaseUntil,
      updated_at: now,
      created_count: eb("created_count", "+", c.created),
      updated_count: eb("updated_count", "+", c.updated),
      over_limit_count: eb("over_limit_count", "+", c.overLimit),
    }))
    .where("id", "=", importId)
    .where("processed", "=", c.processed)
    .where("status", "=", "started")
    .executeTakeFirst();
  return Number(fenced.numUpdatedRows) === 1;
}

export async function finishImport(db: Db, importId: number, now: number): Promise<void> {
  await db
    .updateTable("imports")
    .set({ status: "finished", lease_until: null, updated_at: now })
    .where("id", "=", importId)
    .where("status", "=", "started")
    .execute();
}

/** Marks the import failed and drops the chunks it did not apply. */
export async function failImport(db: Db, importId: number, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("import_chunks").where("import_id", "=", importId).execute();
    await trx.updateTable("imports").set({ status: "failed", lease_until: null, updated_at: now }).where("id", "=", importId).execute();
  });
}
