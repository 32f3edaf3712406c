import { randomBytes } from "node:crypto";
import type { Store } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { errors, Problems } from "../errors.ts";
import { emailProblem, normalizeEmail } from "../../core/contacts/email.ts";
import { ensureFirstAccount } from "../accounts/accounts-repo.ts";
import { LOCKS, lockForTransaction } from "../db/xact-lock.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { anyUser, findUser, findUserByEmail, insertUser, type UserRow } from "./users-repo.ts";
import { deleteExpiredSessions, deleteSession, findSession, insertSession, type SessionRow } from "./sessions-repo.ts";
import { setupCodeMatches } from "./setup-code.ts";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

/** What `GET /api/session` answers: who is signed in, and whether setup is still to do. */
export interface SessionView {
  setup_required: boolean;
  /** Setup is to do and needs the one-time code (a server listening beyond loopback). */
  setup_code_required: boolean;
  user: { id: number; email: string } | null;
  account_id: number | null;
  csrf_token: string | null;
  test_clock: boolean;
}

/** A signed-in answer plus the cookie to set. */
export interface SignedIn {
  view: SessionView;
  token: string;
  expiresAt: number;
}

/** Users of the web app and their sessions: first-start setup, login, logout, cookie checks. */
export function usersService(store: Store, clock: Clock, opts: { sessionHours: number; testClock: boolean; setupCode?: string | null }) {
  const { db } = store;
  const sessionMs = opts.sessionHours * 3_600_000;
  // Made on first use, per service: unknown emails verify against it (see login).
  let dummy: Promise<string> | undefined;

  function view(session: SessionRow | null, user: UserRow | null, setupRequired: boolean): SessionView {
    return {
      setup_required: setupRequired,
      setup_code_required: setupRequired && Boolean(opts.setupCode),
      user: user ? { id: user.id, email: user.email } : null,
      account_id: session?.account_id ?? null,
      csrf_token: session?.csrf_token ?? null,
      test_clock: opts.testClock,
    };
  }

  async function signIn(user: UserRow): Promise<SignedIn> {
    const now = clock.now();
    await deleteExpiredSessions(db, user.account_id, user.id, now);
    const { token, row } = await insertSession(db, { accountId: user.account_id, userId: user.id, now, expiresAt: now + sessionMs });
    return { view: view(row, user, false), token, expiresAt: row.expires_at };
  }

  const service = {
    sessionMs,

    /** The live session a cookie names; an expired one is deleted and counts as none. */
    async sessionFor(token: string): Promise<SessionRow | null> {
      const row = await findSession(db, token);
      if (!row) return null;
      if (row.expires_at <= clock.now()) {
        await deleteSession(db, row);
        return null;
      }
      return row;
    },

    /** The session view for a cookie (absent, unknown and expired all answer "signed out"). */
    async describe(token: string | undefined): Promise<{ view: SessionView; live: boolean }> {
      const session = token === undefined ? null : await service.sessionFor(token);
      const user = session ? await findUser(db, session.account_id, session.user_id) : undefined;
      if (session && user) return { view: view(session, user, false), live: true };
      return { view: view(null, null, !(await anyUser(db))), live: false };
    },

    /** Creates the first admin (in account 1) and signs them in; 409 once any user exists. */
    /** Whether the first-run setup asks for the setup code (the server listens beyond loopback). */
    setupCodeRequired: Boolean(opts.setupCode),

    async setup(input: { email: string; password: string; setup_code?: string }): Promise<SignedIn> {
      if (opts.setupCode && !setupCodeMatches(opts.setupCode, input.setup_code)) {
        throw errors.validation({
          setup_code: [
            input.setup_code === undefined ? "is required: it is printed at start and kept in the data dir's setup-code file" : "is wrong",
          ],
        });
      }
      const email = normalizeEmail(input.email);
      const problems = new Problems();
      const emailIssue = emailProblem(email);
      if (emailIssue) problems.add("email", emailIssue);
      if (input.password.length < PASSWORD_MIN) problems.add("password", `is too short (minimum is ${PASSWORD_MIN} characters)`);
      if (input.password.length > PASSWORD_MAX) problems.add("password", `is too long (maximum is ${PASSWORD_MAX} characters)`);
      problems.throwIfAny();
      if (await anyUser(db)) throw errors.conflict("Already set up");
      const passwordHash = await hashPassword(input.password);
      const user = await db.transaction().execute(async (trx) => {
        await lockForTransaction(trx, LOCKS.setup);
        // Checked again under the lock: two first visitors racing make one admin, not two.
        if (await anyUser(trx)) throw errors.conflict("Already set up");
        const now = clock.now();
        await ensureFirstAccount(trx, now);
        return insertUser(trx, { accountId: 1, email, passwordHash, now });
      });
      return signIn(user);
    },

    /**
     * Signs a user in. An unknown email costs the same scrypt work as a wrong password and
     * gets the same answer, so neither the body nor the timing tells which emails exist.
     */
    async login(input: { email: string; password: string }): Promise<SignedIn> {
      const user = await findUserByEmail(db, normalizeEmail(input.email));
      dummy ??= hashPassword(randomBytes(18).toString("base64url"));
      const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummy));
      if (!user || !ok) throw errors.invalidLogin();
      return signIn(user);
    },

    /** Ends the session a cookie names, if it is one. */
    async logout(token: string): Promise<void> {
      const row = await findSession(db, token);
      if (row) await deleteSession(db, row);
    },
  };
  return service;
}

export type UsersService = ReturnType<typeof usersService>;
