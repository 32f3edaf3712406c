import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { Params, Strict } from "../http/schema-helpers.ts";
import type { ListsService } from "./lists-service.ts";

const ContactList = Type.Object({ id: Type.Integer(), name: Type.String() });
const ListBody = Strict({ name: Type.String({ maxLength: 255 }) });
const tags = ["Contact Lists"];
const ById = Params("list_id");

export function listsRoutes(app: ApiApp, lists: ListsService): void {
  app.get(
    "/contacts/lists",
    {
      schema: {
        querystring: Type.Object({ search: Type.Optional(Type.String({ maxLength: 255 })) }),
        tags,
        operationId: "contactLists",
        response: { 200: Type.Array(ContactList) },
      },
    },
    (req) => lists.list(req.accountId, req.query.search),
  );
  // Mailtrap answers 200 (not 201) to a created list.
  app.post(
    "/contacts/lists",
    { schema: { tags, operationId: "createContactList", body: ListBody, response: { 200: ContactList } } },
    (req) => lists.create(req.accountId, req.body),
  );
  app.get(
    "/contacts/lists/:list_id",
    { schema: { params: ById, tags, operationId: "getContactList", response: { 200: ContactList } } },
    (req) => lists.get(req.accountId, parseId(req.params.list_id)),
  );
  app.patch(
    "/contacts/lists/:list_id",
    { schema: { params: ById, tags, operationId: "updateContactList", body: ListBody, response: { 200: ContactList } } },
    (req) => lists.update(req.accountId, parseId(req.params.list_id), req.body),
  );
  app.delete("/contacts/lists/:list_id", { schema: { params: ById, tags, operationId: "deleteContactList" } }, async (req, reply) => {
    await lists.delete(req.accountId, parseId(req.params.list_id));
    return reply.code(204).send();
  });
}
