import type { Kysely } from "kysely";
import { fixedQuery } from "./fixed-query.ts";
import type { Store } from "./connect.ts";
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
 * Small writes that arrive together commit together (SQLite). A commit is most of what a
 * small write costs there (the pages it touched written to the WAL), and SQLite has one
 * writer: 50 clients posting events each paid a commit of their own, one after another.
 * Writes queued while the connection is busy, or within the same turn of the event loop,
 * run in one transaction, each inside its own savepoint: a write that fails (a 404, a 422,
 * a constraint) is rolled back alone and answers its error; the others commit. No write is
 * answered before its transaction committed, so what a client was told holds after a
 * crash. PostgreSQL groups too, differently (see postgresGroups).
 */
export function groupCommit(store: Store, maxBatch = 500): GroupCommit {
  const { db } = store;
  if (store.dialect === "postgres") return postgresGroups(db, maxBatch);

  const queue: Item[] = [];
  let scheduled = false;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  }

  async function flush(): Promise<void> {
    scheduled = false;
    const items = queue.splice(0, maxBatch);
    if (queue.length > 0) schedule();
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

  return {
    run<T>(work: Work<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
  };
}

/** Groups in flight at once on PostgreSQL, each on a connection of its own. */
const PG_LANES = 4;

/**
 * PostgreSQL: writes arriving together run one after another in one transaction, without
 * savepoints (a savepoint is two more round trips per write, and round trips are what a
 * small write costs there: BEGIN and COMMIT were two of its six). If any write of a group
 * fails, the whole group is undone and each of its writes runs again in a transaction of
 * its own, answering its own outcome: the same answers as without grouping. Up to
 * PG_LANES groups run at once.
 */
function postgresGroups(db: Kysely<Database>, maxBatch: number): GroupCommit {
  const queue: Item[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || inFlight >= PG_LANES || queue.length === 0) return;
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
      const values = await db.transaction().execute(async (trx) => {
        const out: unknown[] = [];
        for (const item of items) out.push(await item.work(trx));
        return out;
      });
      items.forEach((item, i) => item.resolve(values[i]));
    } catch {
      await Promise.all(items.map((item) => db.transaction().execute(item.work).then(item.resolve, item.reject)));
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
