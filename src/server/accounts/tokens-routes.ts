import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { Params, Strict } from "../http/schema-helpers.ts";
import type { TokenRow } from "./tokens-repo.ts";
import type { TokensService } from "./tokens-service.ts";

const Iso = Type.String({ format: "date-time" });
const TokenData = Type.Object({ id: Type.Integer(), name: Type.String(), created_at: Iso, revoked_at: Type.Union([Iso, Type.Null()]) });
const CreatedToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  token: Type.String({ description: "the secret: shown in this answer only, never again" }),
  created_at: Iso,
});
const tags = ["API tokens"];

const iso = (ms: number) => new Date(ms).toISOString();
const toView = (row: TokenRow) => ({
  id: row.id,
  name: row.name,
  created_at: iso(row.created_at),
  revoked_at: row.revoked_at === null ? null : iso(row.revoked_at),
});

/** The account's API tokens: listed without secrets, created (secret shown once), revoked at once. */
export function tokensRoutes(app: ApiApp, tokens: TokensService): void {
  app.get(
    "/tokens",
    { schema: { tags, operationId: "listTokens", response: { 200: Type.Object({ data: Type.Array(TokenData) }) } } },
    async (req) => ({
      data: (await tokens.list(req.accountId)).map(toView),
    }),
  );

  app.post(
    "/tokens",
    {
      schema: {
        tags,
        operationId: "createToken",
        body: Strict({ name: Type.String({ maxLength: 1000 }) }),
        response: { 201: Type.Object({ data: CreatedToken }) },
      },
    },
    async (req, reply) => {
      const row = await tokens.create(req.accountId, req.body.name);
      return reply.code(201).send({ data: { id: row.id, name: row.name, token: row.token, created_at: iso(row.created_at) } });
    },
  );

  app.delete("/tokens/:id", { schema: { tags, operationId: "revokeToken", params: Params("id") } }, async (req, reply) => {
    await tokens.revoke(req.accountId, parseId(req.params.id));
    return reply.code(204).send();
  });
}
