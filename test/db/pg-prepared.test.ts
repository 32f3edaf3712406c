import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type pg from "pg";
import { preparingClient, STALE_PLAN } from "../../src/server/db/pg-prepared.ts";
import { isTransientDbError } from "../../src/server/db/connect.ts";
import { DIALECTS, freshStore, type TestStore } from "../helpers/with-database.ts";

/** A stand-in pg client that records what it was asked to run. */
function recordingClient(fail: (args: unknown[]) => Error | null = () => null) {
  const calls: unknown[][] = [];
  const pgClient = {
    query: (...args: unknown[]) => {
      calls.push(args);
      const err = fail(args);
      return err ? Promise.reject(err) : Promise.resolve({ rows: [] });
    },
    release: () => undefined,
  };
  // What Kysely calls: the wrapper, which hands the pg client its statements named or not.
  const client = preparingClient(pgClient as unknown as pg.PoolClient, 2) as unknown as { query(...args: unknown[]): Promise<unknown> };
  return { client, calls };
}

describe("prepared statements on PostgreSQL connections", () => {
  it("names a text the second time it runs, and keeps that name for it", async () => {
    const { client, calls } = recordingClient();
    for (let i = 0; i < 3; i++) await client.query("select $1", [i]);
    expect(calls[0]).toEqual(["select $1", [0]]);
    expect(calls[1]).toEqual([{ name: "mw_0", text: "select $1", values: [1] }]);
    expect(calls[2]).toEqual([{ name: "mw_0", text: "select $1", values: [2] }]);
  });

  it("names at most `capacity` texts per connection; the rest run unnamed", async () => {
    const { client, calls } = recordingClient();
    for (const text of ["a", "b", "c"]) for (let i = 0; i < 2; i++) await client.query(text, []);
    const named = calls.map((c) => (typeof c[0] === "object" ? (c[0] as { name: string }).name : null));
    expect(named).toEqual([null, "mw_0", null, "mw_1", null, null]);
  });

  it("leaves other call shapes (no values, callbacks, config objects) alone", async () => {
    const { client, calls } = recordingClient();
    await client.query("begin");
    await client.query("begin");
    const cb = () => undefined;
    await client.query("select 1", [], cb);
    expect(calls).toEqual([
      ["begin", undefined, undefined],
      ["begin", undefined, undefined],
      ["select 1", [], cb],
    ]);
  });

  it("a statement refused because its table changed shape runs unnamed from then on; other names stay unique", async () => {
    let refuse = true;
    const { client, calls } = recordingClient((args) => {
      const q = args[0] as { name?: string };
      if (refuse && typeof q === "object" && q.name === "mw_0") {
        refuse = false;
        return new Error(`${STALE_PLAN} (0A000)`);
      }
      return null;
    });
    await client.query("select * from t", []);
    await expect(client.query("select * from t", [])).rejects.toThrow(STALE_PLAN);
    await client.query("select * from t", []);
    await client.query("select 2", []);
    await client.query("select 2", []);
    expect(calls.map((c) => (typeof c[0] === "object" ? (c[0] as { name: string }).name : c[0]))).toEqual([
      "select * from t",
      "mw_0",
      "select * from t",
      "select 2",
      "mw_1",
    ]);
  });
});

describe.runIf(DIALECTS.includes("postgres"))("prepared statements on a real PostgreSQL connection", () => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await freshStore("postgres");
  });
  afterAll(() => ts.dispose());

  it("a table changing shape under a prepared select fails that call once, as transient, then works", async () => {
    await ts.store.db.connection().execute(async (conn) => {
      const lists = () => sql`select * from lists where account_id = ${1}`.execute(conn);
      await lists();
      await lists(); // now prepared on this connection
      await sql`alter table lists add column extra text`.execute(conn);
      const err = await lists().then(
        () => null,
        (e: unknown) => e,
      );
      expect(String(err)).toContain(STALE_PLAN);
      expect(isTransientDbError(err)).toBe(true);
      expect((await lists()).rows).toEqual([]);
    });
  });
});
