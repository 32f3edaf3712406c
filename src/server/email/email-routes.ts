import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import type { OutboxService } from "./outbox-service.ts";

const tags = ["Email"];
const Limit = Type.Optional(Type.String({ pattern: "^[0-9]{1,4}$" }));

/** Read-only views of what was sent: the capture outbox and the message rows. */
export function emailRoutes(app: ApiApp, outbox: OutboxService): void {
  app.get(
    "/outbox/messages",
    {
      schema: {
        tags,
        querystring: Type.Object(
          { to: Type.Optional(Type.String({ maxLength: 254 })), limit: Limit, cursor: Type.Optional(Type.String({ maxLength: 64 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const limit = Math.min(Math.max(Number(req.query.limit ?? 50), 1), 1000);
      return outbox.outbox(req.accountId, {
        ...(req.query.to !== undefined ? { to: req.query.to } : {}),
        ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}),
        limit,
      });
    },
  );
  app.get(
    "/messages",
    {
      schema: {
        tags,
        querystring: Type.Object(
          {
            contact: Type.Optional(Type.String({ maxLength: 254 })),
            automation_id: Type.Optional(Type.String({ pattern: "^[0-9]{1,15}$" })),
            limit: Limit,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const limit = Math.min(Math.max(Number(req.query.limit ?? 100), 1), 1000);
      const automationId = req.query.automation_id === undefined ? undefined : Number(req.query.automation_id);
      return outbox.messages(req.accountId, {
        ...(req.query.contact !== undefined ? { contact: req.query.contact } : {}),
        ...(automationId !== undefined ? { automationId } : {}),
        limit,
      });
    },
  );
}
