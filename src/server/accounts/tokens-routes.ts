import { Type } from "typebox";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import type { ApiApp } from "../http/api-app.ts";
import { parseId } from "../http/ids.ts";
import { Params, Strict } from "../http/schema-helpers.ts";
import { errors, Problems } from "../errors.ts";
import { insertToken, listTokens, revokeToken, type TokenRow } from "./tokens-repo.ts";

const Iso = Type.String({ format: "date-time" });
const TokenData = Type.Object({ id: Type.Integer(), name: Type.String(), created_at: Iso, revoked_at: Type.Union([Iso, Type.Null()]) });
const CreatedToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  token: Type.String({ description: "the secret: shown in this answer only, never again" }),
  created_at: Iso,
});
const tags = ["API tokens"];
const NAME_MAX = 100;

const iso = (ms: number) => new Date(ms).toISOString();
const toView = (row: TokenRow) => ({ id: row.id, name: row.name, created_at: iso(row.created_at), revoked_at: row.revoked_at === null ? null : iso(row.revoked_at) });

/** The account's API tokens: listed without secrets, created (secret shown once), revoked at once. */
export function tokensRoutes(app: ApiApp, db: Kysely<Database>, clock: Clock): void {
  app.get("/tokens", { schema: { tags, operationId: "listTokens", response: { 200: Type.Object({ data: Type.Array(TokenData) }) } } }, async (req) => ({
    data: (await listTokens(db, req.accountId)).map(toView),
  }));

  app.post(
    "/tokens",
    { schema: { tags, operationId: "createToken", body: Strict({ name: Type.String({ maxLength: 1000 }) }), response: { 201: Type.Object({ data: CreatedToken }) } } },
    async (req, reply) => {
      const name = req.body.name.trim();
      const problems = new Problems();
      if (name === "") problems.add("name", "can't be blank");
      else if (name.length > NAME_MAX) problems.add("name", `is too long (maximum is ${NAME_MAX} characters)`);
      problems.throwIfAny();
      const row = await insertToken(db, req.accountId, name, clock.now());
      return reply.code(201).send({ data: { id: row.id, name: row.name, token: row.token, created_at: iso(row.created_at) } });
    },
  );

  app.delete("/tokens/:id", { schema: { tags, operationId: "revokeToken", params: Params("id") } }, async (req, reply) => {
    if (!(await revokeToken(db, req.accountId, parseId(req.params.id), clock.now()))) throw errors.notFound();
    return reply.code(204).send();
  });
}
