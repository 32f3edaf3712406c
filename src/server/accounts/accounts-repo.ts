import { sql } from "kysely";
import type { Store } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { generateToken, hashToken } from "./tokens.ts";

export interface AccountsRepo {
  create(name: string): Promise<{ id: number }>;
  exists(id: number): Promise<boolean>;
  /** Creates a token and returns it: the only time it is ever visible. */
  createToken(accountId: number, name: string, token?: string): Promise<string>;
  /** The account a token belongs to, or null for an unknown or revoked token. */
  accountForToken(token: string): Promise<number | null>;
  /** Makes sure account 1 exists and holds `token` (scripted and container setups). */
  bootstrap(token: string): Promise<void>;
}

export function accountsRepo(store: Store, clock: Clock): AccountsRepo {
  const { db } = store;
  const repo: AccountsRepo = {
    async create(name) {
      const row = await db
        .insertInto("accounts")
        .values({ name, created_at: clock.now() })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { id: row.id };
    },

    async exists(id) {
      const row = await db.selectFrom("accounts").select("id").where("id", "=", id).executeTakeFirst();
      return row !== undefined;
    },

    async createToken(accountId, name, token = generateToken()) {
      await db
        .insertInto("api_tokens")
        .values({ account_id: accountId, name, token_hash: hashToken(token), created_at: clock.now(), revoked_at: null })
        .execute();
      return token;
    },

    async accountForToken(token) {
      const row = await db
        .selectFrom("api_tokens")
        .select("account_id")
        .where("token_hash", "=", hashToken(token))
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return row?.account_id ?? null;
    },

    async bootstrap(token) {
      await db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom("accounts").select("id").where("id", "=", 1).executeTakeFirst();
        if (!existing) {
          await trx.insertInto("accounts").values({ id: 1, name: "Default", created_at: clock.now() }).execute();
          if (store.dialect === "postgres") {
            // An explicit id does not advance the sequence; keep the next one clear of it.
            await sql`select setval(pg_get_serial_sequence('accounts', 'id'), (select max(id) from accounts))`.execute(trx);
          }
        }
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
