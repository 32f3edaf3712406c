import pg from "pg";
import type { TestProject } from "vitest/node";
import { openStore } from "../../src/server/db/connect.ts";
import { migrate } from "../../src/server/db/migrate.ts";
import { adminUrl, databaseUrl } from "./pg-urls.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Migrated template database to clone per test file; null when PostgreSQL is not tested. */
    pgTemplate: string | null;
  }
}

/** Prepares one migrated PostgreSQL template per run; each test file clones it. */
export default async function setup(project: TestProject) {
  const wanted = (process.env["MAILWRIGHT_TEST_DIALECTS"] ?? "sqlite,postgres").split(",").includes("postgres");
  const required = process.env["MAILWRIGHT_TEST_REQUIRE_PG"] === "1";
  if (!wanted) {
    project.provide("pgTemplate", null);
    return;
  }
  const admin = new pg.Client({ connectionString: adminUrl() });
  try {
    await admin.connect();
  } catch (err) {
    if (required)
      throw new Error(`PostgreSQL is required (MAILWRIGHT_TEST_REQUIRE_PG=1) but unreachable at ${adminUrl()}: ${String(err)}`, {
        cause: err,
      });
    console.warn(`PostgreSQL unreachable at ${adminUrl()}: its tests are skipped`);
    project.provide("pgTemplate", null);
    return;
  }
  const template = `mw_tpl_${process.pid}_${Date.now()}`;
  await admin.query(`create database ${template}`);
  const store = openStore(databaseUrl(template), { poolSize: 1 });
  await migrate(store);
  await store.close();
  project.provide("pgTemplate", template);

  await admin.end();
  return async () => {
    // A fresh connection: a chaos test may have restarted the server since setup.
    const cleanup = new pg.Client({ connectionString: adminUrl() });
    await cleanup.connect();
    const { rows } = await cleanup.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${template}%`]);
    for (const { datname } of rows.sort((a) => (a.datname === template ? 1 : -1))) {
      await cleanup.query(`drop database if exists ${datname} with (force)`);
    }
    await cleanup.end();
  };
}
