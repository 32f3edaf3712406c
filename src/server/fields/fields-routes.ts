import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { Params, Strict } from "../http/schema-helpers.ts";
import type { FieldsService } from "./fields-service.ts";

const DataType = Type.Union([
  Type.Literal("text"),
  Type.Literal("integer"),
  Type.Literal("float"),
  Type.Literal("boolean"),
  Type.Literal("date"),
]);
const ContactField = Type.Object({ id: Type.Integer(), name: Type.String(), data_type: DataType, merge_tag: Type.String() });
const CreateFieldBody = Strict({ name: Type.String({ maxLength: 80 }), data_type: DataType, merge_tag: Type.String({ maxLength: 80 }) });
// data_type is accepted only to say that it cannot change.
const UpdateFieldBody = Strict({
  name: Type.Optional(Type.String({ maxLength: 80 })),
  merge_tag: Type.Optional(Type.String({ maxLength: 80 })),
  data_type: Type.Optional(Type.String()),
});

const tags = ["Contact Fields"];
const ById = Params("field_id");

export function fieldsRoutes(app: ApiApp, fields: FieldsService): void {
  app.get("/contacts/fields", { schema: { tags, operationId: "contactFields", response: { 200: Type.Array(ContactField) } } }, (req) =>
    fields.list(req.accountId),
  );
  app.post(
    "/contacts/fields",
    { schema: { tags, operationId: "createContactField", body: CreateFieldBody, response: { 201: ContactField } } },
    async (req, reply) => reply.code(201).send(await fields.create(req.accountId, req.body)),
  );
  app.get(
    "/contacts/fields/:field_id",
    { schema: { params: ById, tags, operationId: "getContactField", response: { 200: ContactField } } },
    (req) => fields.get(req.accountId, parseId(req.params.field_id)),
  );
  app.patch(
    "/contacts/fields/:field_id",
    { schema: { params: ById, tags, operationId: "updateContactField", body: UpdateFieldBody, response: { 200: ContactField } } },
    (req) => fields.update(req.accountId, parseId(req.params.field_id), req.body),
  );
  app.delete("/contacts/fields/:field_id", { schema: { params: ById, tags, operationId: "deleteContactField" } }, async (req, reply) => {
    await fields.delete(req.accountId, parseId(req.params.field_id));
    return reply.code(204).send();
  });
}
