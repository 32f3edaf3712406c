import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { Params } from "../http/schema-helpers.ts";
import type { ReportsService } from "./reports-service.ts";
import type { ActivityService } from "./activity-service.ts";

const tags = ["Reports"];
const Day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });

export function reportsRoutes(app: ApiApp, reports: ReportsService, activity: ActivityService): void {
  app.get(
    "/contacts/:contact_identifier/activity",
    {
      schema: {
        tags,
        params: Params("contact_identifier"),
        querystring: Type.Object({
          limit: Type.Optional(Type.String({ pattern: "^[0-9]{1,3}$" })),
          before: Type.Optional(Type.String({ format: "date-time" })),
        }),
      },
    },
    async (req) => {
      const limit = Math.min(Math.max(Number(req.query.limit ?? 50), 1), 200);
      const before = req.query.before === undefined ? undefined : Date.parse(req.query.before);
      return activity.list(req.accountId, req.params.contact_identifier, { limit, before });
    },
  );
  app.get("/automations/:id/report", { schema: { tags, params: Params("id") } }, async (req) => ({
    data: await reports.report(req.accountId, parseId(req.params.id)),
  }));
  app.get(
    "/automations/:id/report/daily",
    { schema: { tags, params: Params("id"), querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }) } },
    async (req) => ({ data: await reports.daily(req.accountId, parseId(req.params.id), req.query.from, req.query.to) }),
  );
}
