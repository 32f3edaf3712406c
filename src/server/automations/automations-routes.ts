import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { FreeObject, Params, Strict } from "../http/schema-helpers.ts";
import { DefinitionSchema, SettingsSchema, StepSchema, TriggerSchema } from "../../core/flow/schema.ts";
import type { AutomationsService } from "./automations-service.ts";
import type { RunsService } from "./runs-service.ts";

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

const RunStatus = Type.Union([Type.Literal("active"), Type.Literal("completed"), Type.Literal("exited"), Type.Literal("failed")]);
const RunsQuery = Type.Object({
  status: Type.Optional(RunStatus),
  step_id: Type.Optional(Type.String({ maxLength: 64 })),
  email: Type.Optional(Type.String({ maxLength: 320 })),
  contact: Type.Optional(Type.String({ maxLength: 320 })),
  limit: Type.Optional(Type.String({ pattern: "^[0-9]{1,4}$" })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
});
const Run = Type.Object({
  id: Type.Integer(),
  automation_id: Type.Integer(),
  contact_id: Type.String(),
  contact_email: Type.Union([Type.String(), Type.Null()]),
  contact_name: Type.Union([Type.String(), Type.Null()]),
  status: RunStatus,
  version: Type.Integer(),
  current_step_id: Type.Union([Type.String(), Type.Null()]),
  wake_at: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  entered_at: Type.String({ format: "date-time" }),
  finished_at: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  exit_reason: Type.Union([Type.String(), Type.Null()]),
});
const RunsPage = Type.Object({ data: Type.Array(Run), next_cursor: Type.Union([Type.String(), Type.Null()]) });

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
export function automationsRoutes(app: ApiApp, automations: AutomationsService, runs: RunsService): void {
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
  app.get("/automations/:id/runs", { schema: { tags, params: ById, querystring: RunsQuery, response: { 200: RunsPage } } }, async (req) => {
    const { limit, ...filters } = req.query;
    return runs.list(req.accountId, parseId(req.params.id), { ...filters, ...(limit === undefined ? {} : { limit: Number(limit) }) });
  });
  app.get("/runs/:id", { schema: { tags, params: ById } }, async (req) => ({
    data: await runs.get(req.accountId, parseId(req.params.id)),
  }));
  app.post("/automations/:id/simulate", { schema: { tags, params: ById, body: SimulateBody } }, async (req) => ({
    data: await automations.simulate(req.accountId, parseId(req.params.id), req.body),
  }));
}
