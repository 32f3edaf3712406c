import { v7 as uuidv7 } from "uuid";
import type { Store } from "../db/connect.ts";
import { deleteTemplate, findTemplate, insertTemplate, listTemplates, type TemplateRow, updateTemplate } from "./templates-repo.ts";
import type { Clock } from "../clock.ts";
import { randomUUID } from "node:crypto";
import { errors, Problems } from "../errors.ts";
import { emailProblem, normalizeEmail } from "../../core/contacts/email.ts";
import type { Transport } from "../email/transport.ts";
import type { EmailParts } from "../email/render.ts";
import { type PreviewInput, previewTemplate } from "./template-preview.ts";
import type { Renderer } from "../email/render-pool.ts";
import { RenderLimitError } from "../email/render.ts";
import { finishParts } from "../email/compose-message.ts";
import { PREVIEW_UNSUBSCRIBE_URL } from "./template-preview.ts";

export interface TemplateInput {
  name?: string;
  subject?: string;
  category?: string;
  body_html?: string;
  body_text?: string;
}

export interface TemplateView {
  id: number;
  uuid: string;
  name: string;
  category: string;
  subject: string;
  body_text: string;
  body_html: string;
  created_at: string;
  updated_at: string;
}

function toView(row: TemplateRow): TemplateView {
  return {
    id: row.id,
    uuid: row.uuid,
    name: row.name,
    category: row.category,
    subject: row.subject,
    body_text: row.body_text,
    body_html: row.body_html,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/**
 * Handlebars (Mailtrap's template language) must parse, without partials; the message says
 * where it broke. Parsed in a render thread: parsing a large template can take seconds.
 */
async function checkInput(renderer: Renderer, input: TemplateInput, creating: boolean): Promise<void> {
  const problems = new Problems();
  for (const attr of ["name", "subject", "category"] as const) {
    const v = input[attr];
    if ((creating || v !== undefined) && (v === undefined || v.trim() === "")) problems.add(attr, "can't be blank");
  }
  const sources = Object.fromEntries((["subject", "body_html", "body_text"] as const).flatMap((a) => (input[a] ? [[a, input[a]]] : [])));
  if (Object.keys(sources).length > 0) {
    try {
      for (const [attr, problem] of Object.entries(await renderer.check(sources))) problems.add(attr, problem);
    } catch (err) {
      if (!(err instanceof RenderLimitError)) throw err;
      for (const attr of Object.keys(sources)) problems.add(attr, `cannot be parsed within the limits: ${err.message}`);
    }
  }
  problems.throwIfAny();
}

export interface TestSendDeps {
  transport: Transport;
  from: string;
  host: string;
}

export function templatesService(store: Store, clock: Clock, renderer: Renderer, deps?: TestSendDeps) {
  const { db } = store;

  async function find(accountId: number, id: number) {
    const row = await findTemplate(db, accountId, id);
    if (!row) throw errors.notFound();
    return row;
  }

  return {
    async list(accountId: number): Promise<TemplateView[]> {
      return (await listTemplates(db, accountId)).map(toView);
    },

    async get(accountId: number, id: number): Promise<TemplateView> {
      return toView(await find(accountId, id));
    },

    async create(accountId: number, input: TemplateInput): Promise<TemplateView> {
      await checkInput(renderer, input, true);
      const now = clock.now();
      const row = await insertTemplate(db, {
        account_id: accountId,
        uuid: uuidv7(),
        name: input.name!,
        subject: input.subject!,
        category: input.category!,
        body_html: input.body_html ?? "",
        body_text: input.body_text ?? "",
        created_at: now,
        updated_at: now,
      });
      return toView(row);
    },

    async update(accountId: number, id: number, input: TemplateInput): Promise<TemplateView> {
      await find(accountId, id);
      await checkInput(renderer, input, false);
      return toView(await updateTemplate(db, accountId, id, { ...input, updated_at: clock.now() }));
    },

    /** `email_template` replaces saved parts for this render only (the editor's unsaved text). */
    async preview(
      accountId: number,
      id: number,
      input: PreviewInput & { email_template?: Pick<TemplateInput, "subject" | "body_html" | "body_text"> },
    ) {
      const row = await find(accountId, id);
      const draft = input.email_template ?? {};
      return previewTemplate(
        db,
        renderer,
        accountId,
        { subject: draft.subject ?? row.subject, html: draft.body_html ?? row.body_html, text: draft.body_text ?? row.body_text },
        input,
      );
    },

    /**
     * Renders as `preview` does, finishes it as a real send is (CSS inlined, unsubscribe URL
     * in the text part; no tracking: there is no message to count against) and sends it to
     * one address, marked as a test; records nothing.
     */
    async testSend(accountId: number, id: number, to: string, input: PreviewInput) {
      return this.sendTest(accountId, await this.preview(accountId, id, input), to);
    },

    /** An email written in an automation step (no template): rendered as `preview` renders a template. */
    previewInline(accountId: number, parts: Partial<EmailParts>, input: PreviewInput) {
      return previewTemplate(
        db,
        renderer,
        accountId,
        { subject: parts.subject ?? "", html: parts.html ?? "", text: parts.text ?? "" },
        input,
      );
    },

    async testSendInline(accountId: number, parts: Partial<EmailParts>, to: string, input: PreviewInput) {
      return this.sendTest(accountId, await this.previewInline(accountId, parts, input), to);
    },

    async sendTest(accountId: number, rendered: EmailParts, to: string) {
      // Finished as a real send is (CSS inlined, the text part with every link and the unsubscribe URL).
      const parts = finishParts(rendered, { unsubscribeUrl: PREVIEW_UNSUBSCRIBE_URL });
      const address = normalizeEmail(to);
      const problem = emailProblem(address);
      if (problem) throw errors.validation({ to: [problem] });
      if (!deps) throw errors.validation({ base: ["no transport is configured"] });
      const messageId = `<test.${randomUUID()}@${deps.host}>`;
      try {
        const result = await deps.transport.send({
          accountId,
          messageRowId: 0, // a test send belongs to no message row
          messageId,
          from: { address: deps.from },
          to: address,
          subject: `[Test] ${parts.subject}`,
          html: parts.html,
          text: parts.text,
          headers: {},
          date: clock.now(),
        });
        await result.commit?.(db);
        return { to: address, message_id: messageId, accepted: result.accepted, response: result.response };
      } catch (err) {
        throw errors.validation({ to: [`was not accepted: ${err instanceof Error ? err.message : String(err)}`] });
      }
    },

    async delete(accountId: number, id: number): Promise<void> {
      await find(accountId, id);
      await deleteTemplate(db, accountId, id);
    },
  };
}

export type TemplatesService = ReturnType<typeof templatesService>;
