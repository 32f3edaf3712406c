import { Type } from "typebox";
import type { Config } from "../config.ts";
import type { AccountsRepo } from "../accounts/accounts-repo.ts";
import type { ApiApp } from "../http/api-app.ts";

const Nullable = <T extends ReturnType<typeof Type.Integer> | ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Settings = Type.Object({
  account_id: Type.Integer(),
  limits: Type.Object({
    max_automations: Type.Integer(),
    max_fields: Type.Integer(),
    max_contacts: Nullable(Type.Integer({ description: "null = unlimited" })),
    monthly_runs: Nullable(Type.Integer({ description: "runs that may start per calendar month; null = unlimited" })),
    rate_limit_per_minute: Nullable(Type.Integer({ description: "API requests per token; null = off" })),
    body_limit_bytes: Type.Integer(),
  }),
  smtp: Type.Object({
    transport: Type.Union([Type.Literal("capture"), Type.Literal("smtp")]),
    host: Nullable(Type.String({ description: "the relay's host:port; never its credentials" })),
    from: Nullable(Type.String()),
  }),
  test_clock: Type.Boolean(),
  public_url: Type.String(),
});

/** The relay's host and port from the SMTP URL: the user name and password stay out. */
function smtpHost(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

/** `GET /api/settings`: what this installation allows the account, read-only (set by configuration). */
export function settingsRoutes(app: ApiApp, config: Config, accounts: AccountsRepo): void {
  app.get(
    "/settings",
    { schema: { tags: ["Settings"], operationId: "getSettings", response: { 200: Type.Object({ data: Settings }) } } },
    async (req) => {
      const quota = (await accounts.monthlyRunQuota(req.accountId)) ?? config.monthlyRunQuota;
      return {
        data: {
          account_id: req.accountId,
          limits: {
            max_automations: config.maxAutomations,
            max_fields: config.maxFields,
            max_contacts: config.maxContacts > 0 ? config.maxContacts : null,
            monthly_runs: quota > 0 ? quota : null,
            rate_limit_per_minute: config.rateLimit > 0 ? Math.floor((config.rateLimit * 60) / config.rateLimitWindowSeconds) : null,
            body_limit_bytes: config.bodyLimit,
          },
          smtp: {
            transport: config.smtpUrl ? ("smtp" as const) : ("capture" as const),
            host: smtpHost(config.smtpUrl),
            from: config.fromEmail,
          },
          test_clock: config.testClock,
          public_url: config.publicUrl,
        },
      };
    },
  );
}
