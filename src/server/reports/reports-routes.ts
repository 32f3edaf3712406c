import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { Params } from "../http/schema-helpers.ts";
import type { ReportsService } from "./reports-service.ts";

const tags = ["Reports"];
const Day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });

export function reportsRoutes(app: ApiApp, reports: ReportsService): void {
  app.get("/automations/:id/report", { schema: { tags, params: Params("id") } }, async (req) => ({
    data: await reports.report(req.accountId, parseId(req.params.id)),
  }));
  app.get(
    "/automations/:id/report/daily",
    { schema: { tags, params: Params("id"), querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }) } },
    async (req) => ({ data: await reports.daily(req.accountId, parseId(req.params.id), req.query.from, req.query.to) }),
  );
}
