import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { FreeObject, Params, Strict } from "../http/schema-helpers.ts";
import { DefinitionSchema, SettingsSchema, StepSchema, TriggerSchema } from "../../core/flow/schema.ts";
import type { AutomationsService } from "./automations-service.ts";

const tags = ["Automations"];
const ById = Params("id");

const Automation = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  status: Type.Union([Type.Literal("draft"), Type.Literal("active"), Type.Literal("paused"), Type.Literal("disabled")]),
  version: Type.Integer(),
  trigger: TriggerSchema,
  entry_step_id: Type.Union([Type.String(), Type.Null()]),
  steps: Type.Array(StepSchema),
  settings: SettingsSchema,
  created_at: Type.String({ format: "date-time" }),
  updated_at: Type.String({ format: "date-time" }),
});
const One = Type.Object({ data: Automation });

const PatchBody = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  trigger: Type.Optional(TriggerSchema),
  entry_step_id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  steps: Type.Optional(Type.Array(StepSchema, { maxItems: 500 })),
  settings: Type.Optional(SettingsSchema),
  in_flight: Type.Optional(Type.Union([Type.Literal("move"), Type.Literal("keep")])),
});

const RunsQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal("active"), Type.Literal("completed"), Type.Literal("exited"), Type.Literal("failed")])),
  contact: Type.Optional(Type.String({ maxLength: 320 })),
  limit: Type.Optional(Type.String({ pattern: "^[0-9]{1,4}$" })),
});

const SimulateBody = Strict({
  contact: Type.Optional(
    Strict({
      email: Type.Optional(Type.String({ maxLength: 320 })),
      status: Type.Optional(Type.Union([Type.Literal("subscribed"), Type.Literal("unsubscribed")])),
      fields: Type.Optional(FreeObject),
      list_ids: Type.Optional(Type.Array(Type.Integer(), { maxItems: 1000 })),
    }),
  ),
  contact_id: Type.Optional(Type.String({ maxLength: 320 })),
  event: Type.Optional(Strict({ name: Type.Optional(Type.String({ maxLength: 255 })), params: Type.Optional(FreeObject) })),
});

/** Our own API in Mailtrap's style: `{"data": …}` envelopes, ISO-8601 timestamps. */
export function automationsRoutes(app: ApiApp, automations: AutomationsService): void {
  app.get("/automations", { schema: { tags, response: { 200: Type.Object({ data: Type.Array(Automation) }) } } }, async (req) => ({
    data: await automations.list(req.accountId),
  }));
  app.post("/automations", { schema: { tags, body: DefinitionSchema, response: { 201: One } } }, async (req, reply) =>
    reply.code(201).send({ data: await automations.create(req.accountId, req.body) }),
  );
  app.get("/automations/:id", { schema: { tags, params: ById, response: { 200: One } } }, async (req) => ({
    data: await automations.get(req.accountId, parseId(req.params.id)),
  }));
  app.patch("/automations/:id", { schema: { tags, params: ById, body: PatchBody, response: { 200: One } } }, async (req) => {
    const { in_flight, ...patch } = req.body;
    return { data: await automations.update(req.accountId, parseId(req.params.id), patch, in_flight) };
  });
  app.delete("/automations/:id", { schema: { tags, params: ById } }, async (req, reply) => {
    await automations.delete(req.accountId, parseId(req.params.id));
    return reply.code(204).send();
  });
  for (const action of ["activate", "pause", "disable"] as const) {
    app.post(`/automations/:id/${action}`, { schema: { tags, params: ById, response: { 200: One } } }, async (req) => ({
      data: await automations[action](req.accountId, parseId(req.params.id)),
    }));
  }
  app.get("/automations/:id/versions", { schema: { tags, params: ById } }, async (req) => ({
    data: await automations.versions(req.accountId, parseId(req.params.id)),
  }));
  app.get("/automations/:id/runs", { schema: { tags, params: ById, querystring: RunsQuery } }, async (req) => ({
    data: await automations.runs(req.accountId, parseId(req.params.id), {
      status: req.query.status,
      contact: req.query.contact,
      limit: req.query.limit === undefined ? undefined : Number(req.query.limit),
    }),
  }));
  app.post("/automations/:id/simulate", { schema: { tags, params: ById, body: SimulateBody } }, async (req) => ({
    data: await automations.simulate(req.accountId, parseId(req.params.id), req.body),
  }));
}
