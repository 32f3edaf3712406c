import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Store } from "../db/connect.ts";
import { isUniqueViolation } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { errors } from "../errors.ts";
import type { ApiApp } from "../http/api-app.ts";
import { deleteExpiredKey, findKey, insertKey, purgeKeysBefore, releaseKey, storeAnswer, takeOverKey } from "./idempotency-repo.ts";

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);
const KEEP_MS = 24 * 3600 * 1000;
// A request holding a key this long without answering is presumed dead; a retry may take over.
const LOCK_MS = 60 * 1000;
const WAIT_STEP_MS = 20;

declare module "fastify" {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

type Outcome = { kind: "run" } | { kind: "replay"; status: number; body: string; type: string | null };

/**
 * Stripe's Idempotency-Key semantics for write endpoints: the first answer to a key is
 * stored for 24 h and replayed to every retry; the same key with another request is a
 * 422; concurrent retries wait for the first to finish and get its answer. Requests that
 * fail validation reserve nothing (they never reach this hook).
 */
export function idempotency(store: Store, clock: Clock) {
  const { db } = store;

  async function reserve(accountId: number, key: string, fingerprint: string): Promise<Outcome> {
    for (;;) {
      const now = clock.now();
      try {
        await insertKey(db, accountId, key, fingerprint, now + LOCK_MS, now);
        return { kind: "run" };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      const row = await findKey(db, accountId, key);
      if (!row) continue; // expired and removed meanwhile: try to reserve again
      if (row.created_at < now - KEEP_MS) {
        await deleteExpiredKey(db, accountId, key, row.created_at);
        continue;
      }
      if (row.fingerprint !== fingerprint) {
        throw errors.validation({ idempotency_key: ["was already used with a different request"] });
      }
      if (row.status_code !== null)
        return { kind: "replay", status: row.status_code, body: row.response_body ?? "", type: row.response_type };
      if (row.locked_until < now && (await takeOverKey(db, accountId, key, row.locked_until, now + LOCK_MS))) return { kind: "run" };
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    }
  }

  async function complete(accountId: number, key: string, status: number, body: string, type: string | null): Promise<void> {
    if (status >= 500) {
      // A crash is not an answer: let the client retry for real.
      await releaseKey(db, accountId, key);
      return;
    }
    await storeAnswer(db, accountId, key, status, body, type);
  }

  /**
   * The request as the account's API sees it: both path forms (`/api/…` and
   * `/api/accounts/{id}/…`) are one request, so a retry through the other form replays.
   */
  function fingerprintOf(req: FastifyRequest): string {
    const route = (req.routeOptions.url ?? req.url).replace(/^\/api\/accounts\/:account_id(?=\/)/, "/api");
    const { account_id: _scope, ...params } = req.params as Record<string, unknown>;
    return createHash("sha256")
      .update(`${req.method} ${route} ${JSON.stringify(params)} ${JSON.stringify(req.body ?? null)}`)
      .digest("hex");
  }

  return {
    /** Forgets answers older than 24 h (they would no longer be replayed anyway). */
    async purgeExpired(): Promise<number> {
      return purgeKeysBefore(db, clock.now() - KEEP_MS);
    },

    /** Registers the hooks on an (authenticated) API scope. */
    register(app: ApiApp): void {
      app.addHook("preHandler", async (req: FastifyRequest, reply: FastifyReply) => {
        if (!WRITE_METHODS.has(req.method)) return;
        const raw = req.headers["idempotency-key"];
        if (raw === undefined) return;
        const key = Array.isArray(raw) ? raw[0] : raw;
        if (!key || key.length > 255) throw errors.validation({ idempotency_key: ["must be 1 to 255 characters"] });
        const outcome = await reserve(req.accountId, key, fingerprintOf(req));
        if (outcome.kind === "replay") {
          reply.code(outcome.status).header("idempotent-replayed", "true");
          if (outcome.type) reply.type(outcome.type);
          return reply.send(outcome.body === "" ? undefined : outcome.body);
        }
        req.idempotencyKey = key;
      });

      app.addHook("onSend", async (req, reply, payload) => {
        if (req.idempotencyKey === undefined) return payload;
        const body = typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString("utf8") : "";
        const type = reply.getHeader("content-type");
        await complete(req.accountId, req.idempotencyKey, reply.statusCode, body, typeof type === "string" ? type : null);
        return payload;
      });
    },
  };
}

export type Idempotency = ReturnType<typeof idempotency>;
