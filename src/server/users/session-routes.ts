import { Type } from "typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiApp } from "../http/api-app.ts";
import { Strict } from "../http/schema-helpers.ts";
import { csrfMatches } from "../http/csrf.ts";
import { errors } from "../errors.ts";
import type { SignedIn, UsersService } from "./users-service.ts";
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from "./session-cookie.ts";

const SessionData = Type.Object({
  setup_required: Type.Boolean({ description: "true only while no user exists at all" }),
  setup_code_required: Type.Boolean({
    description: "true while setup is to do and the server listens beyond loopback: POST /api/setup needs setup_code",
  }),
  user: Type.Union([Type.Object({ id: Type.Integer(), email: Type.String() }), Type.Null()]),
  account_id: Type.Union([Type.Integer(), Type.Null()]),
  csrf_token: Type.Union([Type.String(), Type.Null()], { description: "send it as X-CSRF-Token on every cookie-authenticated write" }),
  test_clock: Type.Boolean(),
});
const SessionResponse = Type.Object({ data: SessionData });
const Credentials = Strict({ email: Type.String({ maxLength: 1000 }), password: Type.String({ maxLength: 1000 }) });
const SetupBody = Strict({
  email: Type.String({ maxLength: 1000 }),
  password: Type.String({ maxLength: 1000 }),
  setup_code: Type.Optional(
    Type.String({
      maxLength: 200,
      description: "required when the server listens beyond loopback: printed at start, kept in <data dir>/setup-code",
    }),
  ),
});
const ErrorsBody = Type.Object({ errors: Type.String() });

const tags = ["Session"];
// No token needed: these routes are how a browser gets its session.
const security: [] = [];

/**
 * Guessing passwords costs an attacker 10 tries a minute per address (scrypt makes each try
 * cost the server too). Active only when rate limiting is (MAILWRIGHT_RATE_LIMIT > 0).
 */
const SIGN_IN_LIMIT = { max: 10, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => req.ip };

export interface SessionRouteOptions {
  /** Cookies are marked Secure when the public URL is https. */
  secure: boolean;
}

/** `/api/session` and `/api/setup`: registered outside the token-authenticated scope. */
export function sessionRoutes(app: ApiApp, users: UsersService, opts: SessionRouteOptions): void {
  const cookie = { secure: opts.secure };

  function signedIn(reply: FastifyReply, result: SignedIn, status: number) {
    setSessionCookie(reply, result.token, { secure: opts.secure, lifetimeMs: users.sessionMs, expiresAt: result.expiresAt });
    return reply.code(status).send({ data: result.view });
  }

  app.get("/session", { schema: { tags, security, operationId: "getSession", response: { 200: SessionResponse } } }, async (req, reply) => {
    const token = sessionTokenOf(req);
    const { view, live } = await users.describe(token);
    // A cookie that names no live session is cleared, so the browser stops sending it.
    if (token !== undefined && !live) clearSessionCookie(reply, cookie);
    return { data: view };
  });

  app.post(
    "/session",
    {
      schema: { tags, security, operationId: "createSession", body: Credentials, response: { 200: SessionResponse, 401: ErrorsBody } },
      config: { rateLimit: SIGN_IN_LIMIT },
    },
    async (req, reply) => {
      const previous = sessionTokenOf(req);
      const result = await users.login(req.body);
      if (previous !== undefined) await users.logout(previous);
      return signedIn(reply, result, 200);
    },
  );

  app.delete("/session", { schema: { tags, security, operationId: "deleteSession" } }, async (req, reply) => {
    const token = sessionTokenOf(req);
    if (token !== undefined) {
      const session = await users.sessionFor(token);
      // Signing out is a write like any other: a foreign page must not end the session.
      if (session && !csrfMatches(session.csrf_token, req.headers["x-csrf-token"])) throw errors.csrf();
      if (session) await users.logout(token);
      clearSessionCookie(reply, cookie);
    }
    return reply.code(204).send();
  });

  app.post(
    "/setup",
    {
      schema: {
        tags,
        security,
        operationId: "setup",
        body: SetupBody,
        response: { 201: SessionResponse, 409: Type.Object({ error: Type.String() }) },
      },
      config: { rateLimit: SIGN_IN_LIMIT },
    },
    async (req, reply) => signedIn(reply, await users.setup(req.body), 201),
  );
}
