import type { Kysely } from "kysely";
import { fixedQuery } from "./fixed-query.ts";
import type { Store } from "./connect.ts";
import { dialectOf } from "./dialect-of.ts";
import type { Database } from "./schema.ts";

const savepoint = fixedQuery("savepoint group_item");
const release = fixedQuery("release group_item");
const rollbackTo = fixedQuery("rollback to group_item");

type Work<T> = (trx: Kysely<Database>) => Promise<T>;

interface Item {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export interface GroupCommit {
  /** Runs `work` in a transaction and answers its result once that transaction committed. */
  run<T>(work: Work<T>): Promise<T>;
}

/**
 * Small writes that arrive together commit together. Writes queued while a group runs, or
 * within the same turn of the event loop, run in one transaction; no write is answered
 * before its transaction committed, so what a client was told holds after a crash. Each
 * write answers what it would have answered alone:
 * - SQLite (`withSavepoints`): a commit is most of what a small write costs (the pages it
 *   touched written to the WAL), and SQLite has one writer: 50 clients posting events each
 *   paid a commit of their own, one after another. Each write runs in its own savepoint: one
 *   that fails (a 404, a 422, a constraint) is rolled back alone; the others commit.
 * - PostgreSQL (`withoutSavepoints`): a small write costs its round trips (BEGIN and COMMIT
 *   were two of an event's six; a savepoint would be two more per write), so the writes run
 *   one after another without savepoints; if any fails, the group is undone and each of its
 *   writes runs again in a transaction of its own. Up to the dialect's `lanes` groups run at once.
 */
export function groupCommit(store: Store, maxBatch = 500): GroupCommit {
  const { db } = store;
  // Groups in flight at once (PostgreSQL: each on a connection of its own; SQLite: one).
  const { mode, lanes } = dialectOf(db).groupCommit;
  const runGroup = mode === "savepoints" ? withSavepoints : withoutSavepoints;
  const queue: Item[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || inFlight >= lanes || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  }

  async function flush(): Promise<void> {
    const items = queue.splice(0, maxBatch);
    if (items.length === 0) return;
    inFlight++;
    schedule();
    try {
      await runGroup(db, items);
    } finally {
      inFlight--;
      schedule();
    }
  }

  return {
    run<T>(work: Work<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
  };
}

/** One transaction, a savepoint per write: a failing write is undone alone. Settles every item. */
async function withSavepoints(db: Kysely<Database>, items: Item[]): Promise<void> {
  const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
  try {
    await db.transaction().execute(async (trx) => {
      for (const item of items) {
        await savepoint(trx);
        try {
          outcomes.push({ ok: true, value: await item.work(trx) });
          await release(trx);
        } catch (err) {
          await rollbackTo(trx);
          await release(trx);
          outcomes.push({ ok: false, err });
        }
      }
    });
  } catch (err) {
    // The commit failed: nothing of the group was written.
    for (const item of items) item.reject(err);
    return;
  }
  items.forEach((item, i) => {
    const o = outcomes[i]!;
    if (o.ok) item.resolve(o.value);
    else item.reject(o.err);
  });
}

/** One transaction, no savepoints; any failure undoes it and each write runs again alone. Settles every item. */
async function withoutSavepoints(db: Kysely<Database>, items: Item[]): Promise<void> {
  try {
    const values = await db.transaction().execute(async (trx) => {
      const out: unknown[] = [];
      for (const item of items) out.push(await item.work(trx));
      return out;
    });
    items.forEach((item, i) => item.resolve(values[i]));
  } catch {
    await Promise.all(items.map((item) => db.transaction().execute(item.work).then(item.resolve, item.reject)));
  }
}
