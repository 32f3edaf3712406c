import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { FreeObject, Params, Strict } from "../http/schema-helpers.ts";
import type { TemplatesService } from "./templates-service.ts";

const Short = Type.String({ maxLength: 255 });
const Body = Type.String({ maxLength: 10_000_000 });
const CreateBody = Strict({
  email_template: Strict({ name: Short, subject: Short, category: Short, body_html: Type.Optional(Body), body_text: Type.Optional(Body) }),
});
// A PATCH may carry any subset of the attributes.
const UpdateBody = Strict({
  email_template: Strict({
    name: Type.Optional(Short),
    subject: Type.Optional(Short),
    category: Type.Optional(Short),
    body_html: Type.Optional(Body),
    body_text: Type.Optional(Body),
  }),
});
const Template = Type.Object({
  id: Type.Integer(),
  uuid: Type.String({ format: "uuid" }),
  name: Type.String(),
  category: Type.String(),
  subject: Type.String(),
  body_text: Type.String(),
  body_html: Type.String(),
  created_at: Type.String({ format: "date-time" }),
  updated_at: Type.String({ format: "date-time" }),
});

const tags = ["Templates"];
const PreviewFor = {
  contact_id: Type.Optional(Type.String({ maxLength: 320 })),
  contact: Type.Optional(Strict({ email: Type.Optional(Type.String({ maxLength: 320 })), fields: Type.Optional(FreeObject) })),
  event: Type.Optional(Strict({ name: Type.Optional(Type.String({ maxLength: 255 })), params: Type.Optional(FreeObject) })),
};
// An email written inline in an automation step, as `EmailConfig` names its parts.
const InlineEmail = Strict({ subject: Type.Optional(Short), html: Type.Optional(Body), text: Type.Optional(Body) });
const ById = Params("email_template_id");

export function templatesRoutes(app: ApiApp, templates: TemplatesService): void {
  app.get("/email_templates", { schema: { tags, operationId: "emailTemplates", response: { 200: Type.Array(Template) } } }, (req) =>
    templates.list(req.accountId),
  );
  app.post(
    "/email_templates",
    { schema: { tags, operationId: "createEmailTemplate", body: CreateBody, response: { 201: Template } } },
    async (req, reply) => reply.code(201).send(await templates.create(req.accountId, req.body.email_template)),
  );
  app.get(
    "/email_templates/:email_template_id",
    { schema: { params: ById, tags, operationId: "getEmailTemplate", response: { 200: Template } } },
    (req) => templates.get(req.accountId, parseId(req.params.email_template_id)),
  );
  app.patch(
    "/email_templates/:email_template_id",
    { schema: { params: ById, tags, operationId: "updateEmailTemplate", body: UpdateBody, response: { 200: Template } } },
    (req) => templates.update(req.accountId, parseId(req.params.email_template_id), req.body.email_template),
  );
  app.post(
    "/email_templates/:email_template_id/preview",
    {
      schema: {
        tags,
        params: ById,
        body: Strict({
          contact_id: Type.Optional(Type.String({ maxLength: 320 })),
          contact: Type.Optional(Strict({ email: Type.Optional(Type.String({ maxLength: 320 })), fields: Type.Optional(FreeObject) })),
          event: Type.Optional(Strict({ name: Type.Optional(Type.String({ maxLength: 255 })), params: Type.Optional(FreeObject) })),
          // Unsaved edits: the editor previews what is being typed without saving it.
          email_template: Type.Optional(
            Strict({ subject: Type.Optional(Short), body_html: Type.Optional(Body), body_text: Type.Optional(Body) }),
          ),
        }),
      },
    },
    async (req) => ({ data: await templates.preview(req.accountId, parseId(req.params.email_template_id), req.body) }),
  );
  app.post(
    "/email_templates/:email_template_id/test_send",
    {
      schema: {
        tags,
        params: ById,
        body: Strict({
          to: Type.String({ maxLength: 320 }),
          contact_id: Type.Optional(Type.String({ maxLength: 320 })),
          contact: Type.Optional(Strict({ email: Type.Optional(Type.String({ maxLength: 320 })), fields: Type.Optional(FreeObject) })),
          event: Type.Optional(Strict({ name: Type.Optional(Type.String({ maxLength: 255 })), params: Type.Optional(FreeObject) })),
        }),
      },
    },
    async (req) => {
      const { to, ...input } = req.body;
      return { data: await templates.testSend(req.accountId, parseId(req.params.email_template_id), to, input) };
    },
  );
  // The builder's inline emails get the template editor's preview and test send.
  app.post("/email_preview", { schema: { tags, body: Strict({ email: InlineEmail, ...PreviewFor }) } }, async (req) => {
    const { email, ...input } = req.body;
    return { data: await templates.previewInline(req.accountId, email, input) };
  });
  app.post(
    "/email_preview/test_send",
    { schema: { tags, body: Strict({ to: Type.String({ maxLength: 320 }), email: InlineEmail, ...PreviewFor }) } },
    async (req) => {
      const { to, email, ...input } = req.body;
      return { data: await templates.testSendInline(req.accountId, email, to, input) };
    },
  );
  app.delete(
    "/email_templates/:email_template_id",
    { schema: { params: ById, tags, operationId: "deleteEmailTemplate" } },
    async (req, reply) => {
      await templates.delete(req.accountId, parseId(req.params.email_template_id));
      return reply.code(204).send();
    },
  );
}
