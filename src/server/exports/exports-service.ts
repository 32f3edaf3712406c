import type { Store } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { errors } from "../errors.ts";
import { listFields } from "../fields/fields-repo.ts";
import { listIdsOf, parseStoredFields } from "../contacts/contacts-repo.ts";
import type { JobHandler } from "../background/job-runner.ts";
import { missingListIds } from "../lists/lists-repo.ts";
import { toCsv } from "./csv.ts";
import type { ExportFilter } from "./export-filter.ts";
import {
  contactsPage,
  exportFile,
  exportFilters,
  type ExportRow,
  findExport,
  finishExport,
  hasPendingExport,
  insertExport,
  requeueExport,
} from "./exports-repo.ts";

export type { ExportFilter } from "./export-filter.ts";

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

  function toView(row: ExportRow): ExportView {
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
      const page = await contactsPage(db, accountId, filters, after, PAGE);
      if (page.length === 0) break;
      const lists = await listIdsOf(
        db,
        accountId,
        page.map((c) => c.id),
      );
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
      const csv = await buildCsv(job.account_id, await exportFilters(db, job.id));
      await finishExport(db, job.id, csv, leaseUntil, clock.now());
    },
    async fail(job) {
      // Exports have no failed state in Mailtrap's API: an empty file says nothing matched nothing; retry instead.
      await requeueExport(db, job.id, clock.now());
    },
  };

  return {
    handler,

    async create(accountId: number, filters: ExportFilter[]): Promise<ExportView> {
      // A list of another account (or none) is refused as every other reference is, naming the filter.
      const missing = await missingListIds(
        db,
        accountId,
        filters.flatMap((f) => (f.name === "list_id" ? f.value : [])),
      );
      if (missing.length > 0) throw errors.validation({ filters: [`contains invalid data: list ${missing.join(", ")} not found`] });
      if (await hasPendingExport(db, accountId))
        throw errors.validation({ base: ["There is a previous export initiated. You will be notified by email once it is completed."] });
      const row = await insertExport(db, accountId, filters, clock.now());
      opts.onQueued?.();
      return toView(row);
    },

    async get(accountId: number, id: number): Promise<ExportView> {
      const row = await findExport(db, accountId, id);
      if (!row) throw errors.notFound();
      return toView(row);
    },

    async file(accountId: number, id: number): Promise<string> {
      const csv = await exportFile(db, accountId, id);
      if (csv === undefined) throw errors.notFound();
      return csv;
    },
  };
}

export type ExportsService = ReturnType<typeof exportsService>;
