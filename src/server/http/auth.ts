import type { FastifyRequest } from "fastify";
import type { AccountsRepo } from "../accounts/accounts-repo.ts";
import { errors } from "../errors.ts";

/** The API token from `Authorization: Bearer T` or `Api-Token: T`. */
export function tokenOf(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === "string") {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : null;
  }
  const header = req.headers["api-token"];
  const value = Array.isArray(header) ? header[0] : header;
  return value && value.trim() !== "" ? value.trim() : null;
}

/**
 * Resolves the token's account (401 when unknown) and refuses a path that names another
 * account (403), before any handler or body parsing runs.
 */
export function authenticate(accounts: AccountsRepo) {
  return async (req: FastifyRequest): Promise<void> => {
    const token = tokenOf(req);
    const accountId = token === null ? null : await accounts.accountForToken(token);
    if (accountId === null) throw errors.unauthenticated();
    const named = (req.params as { account_id?: string }).account_id;
    if (named !== undefined && named !== String(accountId)) throw errors.forbidden();
    req.accountId = accountId;
  };
}
