import { describe, expect, it } from "vitest";
import type pg from "pg";
import { prepareRepeatedStatements } from "../../src/server/db/pg-prepared.ts";

/** A stand-in pg client that records what it was asked to run. */
function recordingClient() {
  const calls: unknown[][] = [];
  const client = { query: (...args: unknown[]) => (calls.push(args), Promise.resolve({ rows: [] })) };
  prepareRepeatedStatements(client as unknown as pg.PoolClient, 2);
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
    expect(calls).toEqual([["begin", undefined, undefined], ["begin", undefined, undefined], ["select 1", [], cb]]);
  });
});
