import { Type } from "typebox";
import { FreeObject, IdList, Strict } from "../http/schema-helpers.ts";

export const ContactData = Type.Object({
  id: Type.String({ format: "uuid" }),
  status: Type.Union([Type.Literal("subscribed"), Type.Literal("unsubscribed")]),
  email: Type.String(),
  fields: FreeObject,
  list_ids: Type.Array(Type.Integer()),
  created_at: Type.Integer({ description: "epoch milliseconds" }),
  updated_at: Type.Integer({ description: "epoch milliseconds" }),
});

export const ContactResponse = Type.Object({ data: ContactData });

export const CreateContactBody = Strict({
  contact: Strict({
    email: Type.String({ maxLength: 1000 }),
    fields: Type.Optional(FreeObject),
    list_ids: Type.Optional(IdList),
  }),
});

export const UpdateContactBody = Strict({
  contact: Strict({
    email: Type.String({ maxLength: 1000 }),
    fields: Type.Optional(FreeObject),
    list_ids_included: Type.Optional(IdList),
    list_ids_excluded: Type.Optional(IdList),
    unsubscribed: Type.Optional(Type.Boolean()),
  }),
});

export const UpdateContactResponse = Type.Object({
  action: Type.Union([Type.Literal("created"), Type.Literal("updated")]),
  data: ContactData,
});

const Scalar = Type.Union([Type.String({ maxLength: 255 }), Type.Number(), Type.Boolean(), Type.Null()]);
const EventParams = Type.Record(Type.String({ maxLength: 255 }), Scalar, { maxProperties: 100 });

export const CreateEventBody = Strict({
  name: Type.String({ minLength: 1, maxLength: 255 }),
  params: Type.Optional(EventParams),
});

export const EventResponse = Type.Object({
  contact_id: Type.String(),
  contact_email: Type.String(),
  name: Type.String(),
  params: Type.Unsafe<Record<string, string | number | boolean | null>>({ type: "object", additionalProperties: true }),
});
