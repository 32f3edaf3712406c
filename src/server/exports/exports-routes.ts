import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { IdList, Params, Strict } from "../http/schema-helpers.ts";
import type { ExportsService } from "./exports-service.ts";

// Ids as everywhere else: an unbounded integer would pass here and break the export job on PostgreSQL.
const ListIdFilter = Strict({ name: Type.Literal("list_id"), operator: Type.Literal("equal"), value: IdList });
const StatusFilter = Strict({
  name: Type.Literal("subscription_status"),
  operator: Type.Literal("equal"),
  value: Type.Union([Type.Literal("subscribed"), Type.Literal("unsubscribed")]),
});
const ExportBody = Strict({ filters: Type.Optional(Type.Array(Type.Union([ListIdFilter, StatusFilter]), { maxItems: 20 })) });
const ContactExport = Type.Object({
  id: Type.Integer(),
  status: Type.Union([Type.Literal("created"), Type.Literal("started"), Type.Literal("finished")]),
  created_at: Type.String({ format: "date-time" }),
  updated_at: Type.String({ format: "date-time" }),
  url: Type.Union([Type.String({ format: "uri" }), Type.Null()]),
});
const tags = ["Export Contacts"];
const ById = Params("export_id");

export function exportsRoutes(app: ApiApp, exports: ExportsService): void {
  app.post(
    "/contacts/exports",
    { schema: { tags, operationId: "createContactExport", body: ExportBody, response: { 201: ContactExport } } },
    async (req, reply) => reply.code(201).send(await exports.create(req.accountId, req.body.filters ?? [])),
  );
  app.get(
    "/contacts/exports/:export_id",
    { schema: { params: ById, tags, operationId: "getContactExport", response: { 200: ContactExport } } },
    (req) => exports.get(req.accountId, parseId(req.params.export_id)),
  );
  // The finished file, behind the same API token as everything else.
  app.get(
    "/contacts/exports/:export_id/download",
    { schema: { params: ById, tags, operationId: "downloadContactExport" } },
    async (req, reply) => {
      const csv = await exports.file(req.accountId, parseId(req.params.export_id));
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="contacts-export-${req.params.export_id}.csv"`)
        .send(csv);
    },
  );
}
