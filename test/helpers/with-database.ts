import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { type DialectName, openStore, type Store } from "../../src/server/db/connect.ts";
import { migrate } from "../../src/server/db/migrate.ts";
import { adminUrl, databaseUrl } from "./pg-urls.ts";

/** The dialects every storage and API test runs against (MAILWRIGHT_TEST_DIALECTS filters). */
export const DIALECTS: DialectName[] = (() => {
  const wanted = (process.env["MAILWRIGHT_TEST_DIALECTS"] ?? "sqlite,postgres").split(",") as DialectName[];
  return wanted.filter((d) => d === "sqlite" || (d === "postgres" && inject("pgTemplate") !== null));
})();

export interface TestStore {
  store: Store;
  url: string;
  /** Closes the store and removes its database. */
  dispose(): Promise<void>;
}

async function cloneTemplate(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    // Clones from one template collide while another clone is under way: retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${inject("pgTemplate")}`);
        return;
      } catch (err) {
        if (attempt >= 50 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
}

async function createEmpty(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh, migrated database: a new SQLite file, or a clone of the PostgreSQL template.
 * `migrated: false` gives an empty one (no tables), for tests of an upgrade.
 */
export async function freshStore(dialect: DialectName, { migrated = true } = {}): Promise<TestStore> {
  if (dialect === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mw-test-"));
    const url = `sqlite:${path.join(dir, "test.db")}`;
    const store = openStore(url);
    if (migrated) await migrate(store);
    return {
      store,
      url,
      async dispose() {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `${inject("pgTemplate")}_${randomBytes(4).toString("hex")}`;
  if (migrated) await cloneTemplate(name);
  else await createEmpty(name);
  const url = databaseUrl(name);
  const store = openStore(url);
  return {
    store,
    url,
    async dispose() {
      await store.close();
      const admin = new pg.Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
