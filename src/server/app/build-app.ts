import { createHash } from "node:crypto";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import type { Config } from "../config.ts";
import { ping, type Store } from "../db/connect.ts";
import { ApiError, errors } from "../errors.ts";
import type { Services } from "./services.ts";
import type { ApiApp } from "../http/api-app.ts";
import { authenticate, tokenOf } from "./auth.ts";
import { type SchemaError, toFieldErrors } from "../http/validation-errors.ts";
import { refuseUnstorableText } from "../http/unstorable-text.ts";
import { parseJsonBody } from "../http/json-body.ts";
import { contactsRoutes } from "../contacts/contacts-routes.ts";
import { fieldsRoutes } from "../fields/fields-routes.ts";
import { listsRoutes } from "../lists/lists-routes.ts";
import { importsRoutes } from "../imports/imports-routes.ts";
import { exportsRoutes } from "../exports/exports-routes.ts";
import { templatesRoutes } from "../templates/templates-routes.ts";
import { automationsRoutes } from "../automations/automations-routes.ts";
import { testClockRoutes } from "../engine/test-clock-routes.ts";
import { trackingRoutes } from "../tracking/tracking-routes.ts";
import { reportsRoutes } from "../reports/reports-routes.ts";
import { emailRoutes } from "../email/email-routes.ts";
import { registerMetrics } from "./metrics.ts";
import { tokensRoutes } from "../accounts/tokens-routes.ts";
import { settingsRoutes } from "../settings/settings-routes.ts";
import { sessionRoutes } from "../users/session-routes.ts";
import { sessionTokenOf } from "../users/session-cookie.ts";
import { registerWebApp, type WebAppOptions } from "./web-app.ts";
import { createHttpServer } from "./http-server.ts";

export interface AppDeps {
  config: Config;
  store: Store;
  services: Services;
  /** A pino logger; absent = silent (tests). */
  logger?: FastifyBaseLogger;
  /** Where the built web app is (tests pass a folder of their own). */
  web?: WebAppOptions;
}

/** Maps any error to the catalogue's status and body; unknown errors are logged 500s. */
function toApiError(err: FastifyError, bodyLimit: number): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err.validation) return errors.validation(toFieldErrors(err.validation as SchemaError[]));
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return errors.payloadTooLarge(bodyLimit);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return errors.unsupportedMediaType();
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return errors.badRequest("Body cannot be empty when Content-Type is application/json");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return errors.badRequest("Content-Length does not match the body");
  }
  if (err.statusCode === 429) return errors.rateLimited();
  if (err instanceof SyntaxError || err.code === "FST_ERR_CTP_INVALID_JSON_BODY")
    return errors.badRequest(`Malformed JSON: ${err.message}`);
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return errors.badRequest(err.message);
  return null;
}

/**
 * Bodies anyone may send, before any token is checked: the public links in emails (a
 * one-click unsubscribe is 26 bytes) and sign-in or setup. Fastify refuses a body over its
 * route's limit from Content-Length, before reading it, and closes the connection. The
 * authenticated API answers 401 before reading any body.
 */
export const PUBLIC_BODY_LIMIT = 4 * 1024;
export const PRE_AUTH_BODY_LIMIT = 16 * 1024;

function capBodies(scope: FastifyInstance, limit: number): void {
  scope.addHook("onRoute", (route) => {
    route.bodyLimit = Math.min(route.bodyLimit ?? limit, limit);
  });
}

/** The whole HTTP surface; never listens, so tests drive it through `inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store, services } = deps;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: config.bodyLimit,
    // Timeouts and the connection cap (http-server.ts); tests that only inject never listen on it.
    serverFactory: (handler) => createHttpServer(config, handler),
    // Mailtrap's validation is strict: unknown attributes are refused, nothing is coerced.
    // `discriminator`: a step (or rule) is checked against the member its `type` (`kind`) names only.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: false, discriminator: true } },
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    // A path may name a contact by its URL-encoded address: up to 254 characters, 3 bytes each encoded.
    routerOptions: { maxParamLength: 1024 },
    // Malformed or overlong URLs are answered from the catalogue, like every other error.
    frameworkErrors: (err: FastifyError, _req: unknown, reply: FastifyReply) => {
      const mapped = err.code === "FST_ERR_MAX_PARAM_LENGTH" ? errors.notFound() : errors.badRequest(`Malformed URL: ${err.message}`);
      return reply.code(mapped.status).send(mapped.body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The API speaks JSON only: any other body is a 415, not a string handed to validation.
  app.removeContentTypeParser("text/plain");
  // An empty JSON body (curl -H 'Content-Type: application/json' -X POST …/activate) means no body;
  // anything else must parse, with prototype poisoning refused.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(typeof body === "string" ? Buffer.from(body) : body));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const mapped = toApiError(err, req.routeOptions.bodyLimit ?? config.bodyLimit);
    if (mapped) return reply.code(mapped.status).send(mapped.body);
    req.log.error({ err }, "unhandled error");
    const internal = errors.internal();
    return reply.code(internal.status).send(internal.body);
  });
  // A request answered before its body was read (a 401, a 413, a 404) would otherwise keep
  // its connection open while Node reads and discards the rest: up to the request timeout
  // of whatever the client sends. Such a connection is closed once the answer is out.
  app.addHook("onResponse", async (req) => {
    if (!req.raw.complete && typeof req.raw.socket?.destroy === "function") req.raw.socket.destroy();
  });
  // Parses the web session cookie before anything (auth and the rate limiter read it).
  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Mailwright API",
        version: "1.0.0",
        description: "Mailtrap-compatible contacts and templates API, plus Mailwright's own.",
      },
      components: {
        securitySchemes: {
          BearerAuth: { type: "http", scheme: "bearer" },
          HeaderAuth: { type: "apiKey", in: "header", name: "Api-Token" },
        },
      },
      security: [{ BearerAuth: [] }, { HeaderAuth: [] }],
    },
  });

  if (config.rateLimit > 0) {
    await app.register(rateLimit, {
      max: config.rateLimit,
      timeWindow: config.rateLimitWindowSeconds * 1000,
      // Per token or web session, as auth reads it (any spelling of one token is one bucket;
      // hashed: the limiter's memory never holds a secret); per address without one.
      keyGenerator: (req) => {
        const secret = tokenOf(req) ?? sessionTokenOf(req);
        return secret ? createHash("sha256").update(secret).digest("hex") : `ip:${req.ip}`;
      },
      // The API and the public links in emails (unsubscribe, click, open); not health checks or the web app's files.
      allowList: (req) => !/^\/(api\/(?!openapi\.json)|u\/|t\/)/.test(req.url),
      errorResponseBuilder: () => ({ statusCode: 429, message: "Rate limit exceeded" }),
    });
  }

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
    try {
      await ping(store);
      return { status: "ok" };
    } catch {
      return reply.code(503).send({ status: "unavailable" });
    }
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  registerMetrics(app, store, services.clock, services.metrics, config.metricsToken);

  // Every API path is served both token-scoped (/api/…) and account-scoped (/api/accounts/{id}/…).
  const api = async (scope: ApiApp) => {
    scope.addHook("onRequest", authenticate(services.accounts, services.users));
    // No body where the body requires nothing (a preview, an export without filters) is an empty object.
    scope.addHook("preValidation", async (req) => {
      const schema = req.routeOptions.schema?.body as { type?: string; required?: string[] } | undefined;
      if (req.body === undefined && schema?.type === "object" && !schema.required?.length) req.body = {};
    });
    scope.addHook("preValidation", refuseUnstorableText);
    services.idempotency.register(scope);
    contactsRoutes(scope, services.contacts);
    fieldsRoutes(scope, services.fields);
    listsRoutes(scope, services.lists);
    importsRoutes(scope, services.imports);
    exportsRoutes(scope, services.exports);
    templatesRoutes(scope, services.templates);
    automationsRoutes(scope, services.automations, services.runs);
    reportsRoutes(scope, services.reports, services.activity);
    emailRoutes(scope, services.outbox);
    tokensRoutes(scope, services.tokens);
    settingsRoutes(scope, config, services.accounts);
    if (services.testClock) testClockRoutes(scope, services.testClock, () => services.wakeup.signal());
  };
  await app.register(async (scope) => {
    capBodies(scope, PUBLIC_BODY_LIMIT);
    await trackingRoutes(scope, services.tracking);
  });
  // Sign-in happens before there is a session or a token: outside the authenticated scope.
  await app.register(
    async (scope: ApiApp) => {
      capBodies(scope, PRE_AUTH_BODY_LIMIT);
      scope.addHook("preValidation", refuseUnstorableText);
      sessionRoutes(scope, services.users, { secure: config.publicUrl.startsWith("https:") });
    },
    { prefix: "/api" },
  );
  await app.register(api, { prefix: "/api" });
  await app.register(api, { prefix: "/api/accounts/:account_id" });
  await registerWebApp(app, deps.web);

  return app;
}
