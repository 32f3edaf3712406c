import type { Kysely } from "kysely";
import type { Store } from "../db/connect.ts";
import { dialectOf } from "../db/dialect-of.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { hashToken } from "./tokens.ts";
import { insertToken } from "./tokens-repo.ts";
import { fixedQuery } from "../db/fixed-query.ts";

export interface AccountsRepo {
  create(name: string): Promise<{ id: number }>;
  exists(id: number): Promise<boolean>;
  /** Creates a token and returns it: the only time it is ever visible. */
  createToken(accountId: number, name: string, token?: string): Promise<string>;
  /** The account's own monthly run quota, or null when it uses the configured default. */
  monthlyRunQuota(id: number): Promise<number | null>;
  /** The account a token belongs to, or null for an unknown or revoked token. */
  accountForToken(token: string): Promise<number | null>;
  /** Makes sure account 1 exists and holds `token` (scripted and container setups). */
  bootstrap(token: string): Promise<void>;
}

// Every API request runs it.
const tokenAccount = fixedQuery<{ account_id: number }>("select account_id from api_tokens where token_hash = ? and revoked_at is null");

/** Makes sure account 1 exists (the bootstrap token's and the first admin's); call inside a transaction. */
export async function ensureFirstAccount(trx: Kysely<Database>, now: number): Promise<void> {
  const existing = await trx.selectFrom("accounts").select("id").where("id", "=", 1).executeTakeFirst();
  if (existing) return;
  await trx.insertInto("accounts").values({ id: 1, name: "Default", created_at: now }).execute();
  // An explicit id does not advance PostgreSQL's sequence; keep the next one clear of it.
  await dialectOf(trx).syncSequence(trx, "accounts", "id");
}

export function accountsRepo(store: Store, clock: Clock): AccountsRepo {
  const { db } = store;
  const repo: AccountsRepo = {
    async create(name) {
      const row = await db.insertInto("accounts").values({ name, created_at: clock.now() }).returning("id").executeTakeFirstOrThrow();
      return { id: row.id };
    },

    async exists(id) {
      const row = await db.selectFrom("accounts").select("id").where("id", "=", id).executeTakeFirst();
      return row !== undefined;
    },

    async createToken(accountId, name, token) {
      return (await insertToken(db, accountId, name, clock.now(), token)).token;
    },

    async monthlyRunQuota(id) {
      const row = await db.selectFrom("accounts").select("monthly_run_quota").where("id", "=", id).executeTakeFirst();
      return row?.monthly_run_quota ?? null;
    },

    async accountForToken(token) {
      const [row] = await tokenAccount(db, [hashToken(token)]);
      return row?.account_id ?? null;
    },

    async bootstrap(token) {
      await db.transaction().execute(async (trx) => {
        await ensureFirstAccount(trx, clock.now());
        const hash = hashToken(token);
        const held = await trx.selectFrom("api_tokens").select(["account_id"]).where("token_hash", "=", hash).executeTakeFirst();
        if (held && held.account_id !== 1) throw new Error("MAILWRIGHT_BOOTSTRAP_TOKEN already belongs to another account");
        if (!held) {
          await trx
            .insertInto("api_tokens")
            .values({ account_id: 1, name: "bootstrap", token_hash: hash, created_at: clock.now(), revoked_at: null })
            .execute();
        }
      });
    },
  };
  return repo;
}
