import type { IncomingMessage, ServerResponse } from "node:http";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from "fastify";

/** The Fastify instance routes register on: bodies typed from their TypeBox schemas. */
export type ApiApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module "fastify" {
  interface FastifyRequest {
    /** The account the API token belongs to; set by the auth hook before any handler. */
    accountId: number;
  }
}
