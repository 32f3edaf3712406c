import type { Store } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { errors, Problems } from "../errors.ts";
import { insertToken, listTokens, revokeToken, type TokenRow } from "./tokens-repo.ts";

const NAME_MAX = 100;

/** An account's API tokens: listed without secrets, created (the secret answered once), revoked at once. */
export function tokensService(store: Store, clock: Clock) {
  const { db } = store;
  return {
    list: (accountId: number): Promise<TokenRow[]> => listTokens(db, accountId),

    async create(accountId: number, rawName: string): Promise<TokenRow & { token: string }> {
      const name = rawName.trim();
      const problems = new Problems();
      if (name === "") problems.add("name", "can't be blank");
      else if (name.length > NAME_MAX) problems.add("name", `is too long (maximum is ${NAME_MAX} characters)`);
      problems.throwIfAny();
      return insertToken(db, accountId, name, clock.now());
    },

    async revoke(accountId: number, id: number): Promise<void> {
      if (!(await revokeToken(db, accountId, id, clock.now()))) throw errors.notFound();
    },
  };
}

export type TokensService = ReturnType<typeof tokensService>;
