import type { FastifyReply, FastifyRequest } from "fastify";

export const SESSION_COOKIE = "mw_session";

/** The session cookie's value, when the request carries one. */
export function sessionTokenOf(req: FastifyRequest): string | undefined {
  const value = req.cookies?.[SESSION_COOKIE];
  return value === undefined || value === "" ? undefined : value;
}

/**
 * HttpOnly (scripts never read it), SameSite=Lax (other sites' forms and fetches do not
 * carry it), Secure when the public URL is https, and no longer-lived than the session row.
 */
export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  opts: { secure: boolean; lifetimeMs: number; expiresAt: number },
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: opts.secure,
    maxAge: Math.floor(opts.lifetimeMs / 1000),
    expires: new Date(opts.expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply, opts: { secure: boolean }): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", path: "/", secure: opts.secure });
}
