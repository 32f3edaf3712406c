import type { FastifyRequest } from "fastify";
import type { AccountsRepo } from "../accounts/accounts-repo.ts";
import type { UsersService } from "../users/users-service.ts";
import { sessionTokenOf } from "../users/session-cookie.ts";
import { errors } from "../errors.ts";
import { csrfMatches, SAFE_METHODS } from "../http/csrf.ts";

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
 * The account of a request with a web session cookie and no token. A write must carry the
 * session's CSRF token: SameSite=Lax already keeps the cookie off most cross-site requests,
 * the header keeps it off the rest (a same-site subdomain, an old browser).
 */
async function sessionAccount(req: FastifyRequest, users: UsersService, cookie: string): Promise<number> {
  const session = await users.sessionFor(cookie);
  if (!session) throw errors.sessionUnauthenticated();
  if (!SAFE_METHODS.has(req.method) && !csrfMatches(session.csrf_token, req.headers["x-csrf-token"])) throw errors.csrf();
  return session.account_id;
}

/**
 * Resolves the request's account from an API token, or else the session cookie (401 when
 * neither is valid), and refuses a path that names another account (403), before any
 * handler or body parsing runs. A token always wins: scripts never need a CSRF token.
 */
export function authenticate(accounts: AccountsRepo, users: UsersService) {
  return async (req: FastifyRequest): Promise<void> => {
    const token = tokenOf(req);
    const cookie = token === null ? sessionTokenOf(req) : undefined;
    let accountId: number | null;
    if (cookie !== undefined) accountId = await sessionAccount(req, users, cookie);
    else accountId = token === null ? null : await accounts.accountForToken(token);
    if (accountId === null) throw errors.unauthenticated();
    const named = (req.params as { account_id?: string }).account_id;
    if (named !== undefined && named !== String(accountId)) throw errors.forbidden();
    req.accountId = accountId;
  };
}
