import { api, setCsrfToken } from "./client.ts";

/** `GET /api/session`: who is signed in, and whether the first admin still has to be created. */
export interface Session {
  setup_required: boolean;
  /** The server listens beyond loopback: setup needs the code it printed at start. */
  setup_code_required: boolean;
  user: { id: number; email: string } | null;
  account_id: number | null;
  csrf_token: string | null;
  test_clock: boolean;
}

function remember(session: Session): Session {
  setCsrfToken(session.csrf_token);
  return session;
}

export async function fetchSession(): Promise<Session> {
  return remember((await api<{ data: Session }>("GET", "/api/session")).data);
}

export async function signIn(email: string, password: string): Promise<Session> {
  return remember((await api<{ data: Session }>("POST", "/api/session", { email, password })).data);
}

export async function createAdmin(email: string, password: string, setupCode?: string): Promise<Session> {
  return remember(
    (await api<{ data: Session }>("POST", "/api/setup", { email, password, ...(setupCode ? { setup_code: setupCode } : {}) })).data,
  );
}

export async function signOut(): Promise<void> {
  await api("DELETE", "/api/session");
  setCsrfToken(null);
}
