import type { Selectable } from "kysely";
import type { Store } from "../db/connect.ts";
import type { ExportsTable } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { errors } from "../errors.ts";
import { listFields } from "../fields/fields-repo.ts";
import { listIdsOf, parseStoredFields } from "../contacts/contacts-repo.ts";
import type { JobHandler } from "../background/job-runner.ts";
import { toCsv } from "./csv.ts";

export type ExportFilter =
  | { name: "list_id"; operator: "equal"; value: number[] }
  | { name: "subscription_status"; operator: "equal"; value: "subscribed" | "unsubscribed" };

export interface ExportView {
  id: number;
  status: "created" | "started" | "finished";
  created_at: string;
  updated_at: string;
  url: string | null;
}

const PAGE = 1000;

export function exportsService(store: Store, clock: Clock, opts: { publicUrl: string; onQueued?: () => void }) {
  const { db } = store;

  function toView(row: Pick<Selectable<ExportsTable>, "id" | "account_id" | "status" | "created_at" | "updated_at">): ExportView {
    return {
      id: row.id,
      status: row.status,
      created_at: new Date(row.created_at).toISOString(),
      updated_at: new Date(row.updated_at).toISOString(),
      url: row.status === "finished" ? `${opts.publicUrl}/api/accounts/${row.account_id}/contacts/exports/${row.id}/download` : null,
    };
  }

  /** Builds the CSV page by page: contacts matching every filter (list filters: any of the lists). */
  async function buildCsv(accountId: number, filters: ExportFilter[]): Promise<string> {
    const defs = await listFields(db, accountId);
    const header = ["id", "email", "status", "list_ids", "created_at", "updated_at", ...defs.map((d) => d.merge_tag)];
    const rows: unknown[][] = [];
    let after = "";
    for (;;) {
      let q = db.selectFrom("contacts").selectAll().where("account_id", "=", accountId).where("id", ">", after);
      for (const f of filters) {
        if (f.name === "subscription_status") q = q.where("status", "=", f.value);
        else
          q = q.where("id", "in", (eb) =>
            eb.selectFrom("contact_lists").select("contact_id").where("account_id", "=", accountId).where("list_id", "in", f.value.length ? f.value : [-1]),
          );
      }
      const page = await q.orderBy("id").limit(PAGE).execute();
      if (page.length === 0) break;
      const lists = await listIdsOf(db, accountId, page.map((c) => c.id));
      for (const c of page) {
        const values = parseStoredFields(c.fields);
        rows.push([
          c.id,
          c.email,
          c.status,
          (lists.get(c.id) ?? []).join(";"),
          new Date(c.created_at).toISOString(),
          new Date(c.updated_at).toISOString(),
          ...defs.map((d) => values[String(d.id)] ?? ""),
        ]);
      }
      after = page[page.length - 1]!.id;
    }
    return toCsv(header, rows);
  }

  const handler: JobHandler = {
    table: "exports",
    async run(job, leaseUntil) {
      const row = await db.selectFrom("exports").select(["filters"]).where("id", "=", job.id).executeTakeFirstOrThrow();
      const csv = await buildCsv(job.account_id, JSON.parse(row.filters) as ExportFilter[]);
      await db
        .updateTable("exports")
        .set({ status: "finished", csv, lease_until: null, updated_at: clock.now() })
        .where("id", "=", job.id)
        .where("lease_until", "=", leaseUntil)
        .execute();
    },
    async fail(job) {
      // Exports have no failed state in Mailtrap's API: an empty file says nothing matched nothing; retry instead.
      await db.updateTable("exports").set({ status: "created", lease_until: null, updated_at: clock.now() }).where("id", "=", job.id).execute();
    },
  };

  return {
    handler,

    async create(accountId: number, filters: ExportFilter[]): Promise<ExportView> {
      const pending = await db
        .selectFrom("exports")
        .select("id")
        .where("account_id", "=", accountId)
        .where("status", "in", ["created", "started"])
        .executeTakeFirst();
      if (pending) throw errors.validation({ base: ["There is a previous export initiated. You will be notified by email once it is completed."] });
      const now = clock.now();
      const row = await db
        .insertInto("exports")
        .values({ account_id: accountId, status: "created", filters: JSON.stringify(filters), csv: null, lease_until: null, created_at: now, updated_at: now })
        .returning(["id", "account_id", "status", "created_at", "updated_at"])
        .executeTakeFirstOrThrow();
      opts.onQueued?.();
      return toView(row);
    },

    async get(accountId: number, id: number): Promise<ExportView> {
      const row = await db
        .selectFrom("exports")
        .select(["id", "account_id", "status", "created_at", "updated_at"])
        .where("account_id", "=", accountId)
        .where("id", "=", id)
        .executeTakeFirst();
      if (!row) throw errors.notFound();
      return toView(row);
    },

    async file(accountId: number, id: number): Promise<string> {
      const row = await db.selectFrom("exports").select(["csv", "status"]).where("account_id", "=", accountId).where("id", "=", id).executeTakeFirst();
      if (!row || row.status !== "finished" || row.csv === null) throw errors.notFound();
      return row.csv;
    },
  };
}

export type ExportsService = ReturnType<typeof exportsService>;
