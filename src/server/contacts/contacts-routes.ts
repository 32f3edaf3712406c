import type { ApiApp } from "../http/api-app.ts";
import { Params } from "../http/schema-helpers.ts";
import type { ContactsService } from "./contacts-service.ts";
import { ContactResponse, CreateContactBody, CreateEventBody, EventResponse, UpdateContactBody, UpdateContactResponse } from "./contact-schemas.ts";

const tags = ["Contacts"];
const ById = Params("contact_identifier");

/** Mailtrap's contacts endpoints; `contact_identifier` is a uuid or a URL-encoded email. */
export function contactsRoutes(app: ApiApp, contacts: ContactsService): void {
  app.post("/contacts", { schema: { tags, operationId: "createContact", body: CreateContactBody, response: { 201: ContactResponse } } }, async (req, reply) => {
    const data = await contacts.create(req.accountId, req.body.contact);
    return reply.code(201).send({ data });
  });

  app.get(
    "/contacts/:contact_identifier",
    { schema: { params: ById, tags, operationId: "getContact", response: { 200: ContactResponse } } },
    async (req) => ({ data: await contacts.get(req.accountId, req.params.contact_identifier) }),
  );

  app.patch(
    "/contacts/:contact_identifier",
    { schema: { params: ById, tags, operationId: "updateContact", body: UpdateContactBody, response: { 200: UpdateContactResponse } } },
    async (req) => contacts.upsert(req.accountId, req.params.contact_identifier, req.body.contact),
  );

  app.delete(
    "/contacts/:contact_identifier",
    { schema: { params: ById, tags, operationId: "deleteContact" } },
    async (req, reply) => {
      await contacts.delete(req.accountId, req.params.contact_identifier);
      return reply.code(204).send();
    },
  );

  app.post(
    "/contacts/:contact_identifier/events",
    { schema: { params: ById, tags: ["Contact Events"], operationId: "createContactEvent", body: CreateEventBody, response: { 201: EventResponse } } },
    async (req, reply) => reply.code(201).send(await contacts.createEvent(req.accountId, req.params.contact_identifier, req.body)),
  );
}
