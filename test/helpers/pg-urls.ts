/** The PostgreSQL server tests use; override with MAILWRIGHT_TEST_PG_URL. */
export function adminUrl(): string {
  return process.env["MAILWRIGHT_TEST_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
}

export function databaseUrl(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}
