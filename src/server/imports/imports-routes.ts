import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { FreeObject, IdList, Params, Strict } from "../http/schema-helpers.ts";
import type { ImportsService } from "./imports-service.ts";

const ImportBody = Strict({
  contacts: Type.Array(
    Strict({
      email: Type.String({ maxLength: 1000 }),
      fields: Type.Optional(FreeObject),
      list_ids_included: Type.Optional(IdList),
      list_ids_excluded: Type.Optional(IdList),
    }),
  ),
});
const ContactImport = Type.Object({
  id: Type.Integer(),
  status: Type.Union([Type.Literal("created"), Type.Literal("started"), Type.Literal("finished"), Type.Literal("failed")]),
  created_contacts_count: Type.Optional(Type.Integer()),
  updated_contacts_count: Type.Optional(Type.Integer()),
  contacts_over_limit_count: Type.Optional(Type.Integer()),
});
const tags = ["Bulk Import"];

export function importsRoutes(app: ApiApp, imports: ImportsService): void {
  app.post(
    "/contacts/imports",
    { schema: { tags, operationId: "importContacts", body: ImportBody, response: { 201: ContactImport } } },
    async (req, reply) => reply.code(201).send(await imports.create(req.accountId, req.body.contacts)),
  );
  app.get(
    "/contacts/imports/:import_id",
    { schema: { params: Params("import_id"), tags, operationId: "getContactImport", response: { 200: ContactImport } } },
    (req) => imports.get(req.accountId, parseId(req.params.import_id)),
  );
}
