import { type Migration, type MigrationProvider, Migrator } from "kysely";
import type { Store } from "./connect.ts";
import { init } from "./migrations/0001-init.ts";
import { engine } from "./migrations/0002-engine.ts";
import { notify } from "./migrations/0003-notify.ts";
import { email } from "./migrations/0004-email.ts";
import { counters } from "./migrations/0005-counters.ts";
import { messageSubject } from "./migrations/0006-message-subject.ts";
import { usersSessions } from "./migrations/0007-users-sessions.ts";
import { fillfactor } from "./migrations/0008-fillfactor.ts";
import { importChunks } from "./migrations/0009-import-chunks.ts";
import { refusalsByContact } from "./migrations/0010-refusals-by-contact.ts";

/** One ordered set of migrations for both databases; each may shape itself per dialect. */
function provider(store: Store): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        "0001-init": init(store.dialect),
        "0002-engine": engine(store.dialect),
        "0003-notify": notify(store.dialect),
        "0004-email": email(store.dialect),
        "0005-counters": counters(store.dialect),
        "0006-message-subject": messageSubject(),
        "0007-users-sessions": usersSessions(store.dialect),
        "0008-fillfactor": fillfactor(store.dialect),
        "0009-import-chunks": importChunks(store.dialect),
        "0010-refusals-by-contact": refusalsByContact(),
      };
    },
  };
}

/**
 * Applies every pending migration, or those up to `to` (tests of an upgrade); throws with the
 * failing migration's error.
 */
export async function migrate(store: Store, to?: string): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: provider(store) });
  const { error, results } = to ? await migrator.migrateTo(to) : await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
