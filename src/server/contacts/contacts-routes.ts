import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { errors } from "../errors.ts";
import { Params } from "../http/schema-helpers.ts";
import type { ContactsService } from "./contacts-service.ts";
import {
  ContactData,
  ContactResponse,
  CreateContactBody,
  CreateEventBody,
  EventResponse,
  UpdateContactBody,
  UpdateContactResponse,
} from "./contact-schemas.ts";

const tags = ["Contacts"];
const ById = Params("contact_identifier");
const LIMIT_MAX = 100;

// Mailtrap defines no GET on /api/contacts: this listing (for the web app) adds without breaking.
const ListQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 254, description: "case-insensitive substring of the email" })),
    status: Type.Optional(Type.Enum(["subscribed", "unsubscribed"])),
    list_id: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,14}$" })),
    field: Type.Optional(Type.String({ maxLength: 255, description: "merge tag: contacts with a value for it (or with `value`)" })),
    value: Type.Optional(Type.String({ maxLength: 255 })),
    limit: Type.Optional(Type.String({ pattern: "^[0-9]{1,3}$", description: `1 to ${LIMIT_MAX}, default 25` })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: "next_cursor of the previous page" })),
  },
  { additionalProperties: false },
);
const ListResponse = Type.Object({ data: Type.Array(ContactData), next_cursor: Type.Union([Type.String(), Type.Null()]) });

/** Mailtrap's contacts endpoints; `contact_identifier` is a uuid or a URL-encoded email. */
export function contactsRoutes(app: ApiApp, contacts: ContactsService): void {
  app.get(
    "/contacts",
    { schema: { tags, operationId: "listContacts", querystring: ListQuery, response: { 200: ListResponse } } },
    async (req) => {
      const { list_id, limit, ...rest } = req.query;
      const n = limit === undefined ? 25 : Number(limit);
      if (n < 1 || n > LIMIT_MAX) throw errors.validation({ limit: [`must be from 1 to ${LIMIT_MAX}`] });
      return contacts.list(req.accountId, { ...rest, ...(list_id !== undefined ? { list_id: Number(list_id) } : {}), limit: n });
    },
  );

  app.post(
    "/contacts",
    { schema: { tags, operationId: "createContact", body: CreateContactBody, response: { 201: ContactResponse } } },
    async (req, reply) => {
      const data = await contacts.create(req.accountId, req.body.contact);
      return reply.code(201).send({ data });
    },
  );

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

  app.delete("/contacts/:contact_identifier", { schema: { params: ById, tags, operationId: "deleteContact" } }, async (req, reply) => {
    await contacts.delete(req.accountId, req.params.contact_identifier);
    return reply.code(204).send();
  });

  app.post(
    "/contacts/:contact_identifier/events",
    {
      schema: {
        params: ById,
        tags: ["Contact Events"],
        operationId: "createContactEvent",
        body: CreateEventBody,
        response: { 201: EventResponse },
      },
    },
    async (req, reply) => reply.code(201).send(await contacts.createEvent(req.accountId, req.params.contact_identifier, req.body)),
  );
}
