import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";

/** PostgreSQL's refusal of a prepared statement whose table changed shape. */
export const STALE_PLAN = "cached plan must not change result type";

/** The part of a pg client this wrapper calls. */
type QueryClient = Pick<pg.PoolClient, "query" | "release">;

/**
 * A pg client as Kysely's PostgreSQL driver sees it (its `PostgresPoolClient` interface),
 * preparing the statements it runs again and again (named statements, kept per connection),
 * so PostgreSQL parses and analyses each of the engine's statement shapes once per
 * connection instead of on every batch. A text is named the second time it is seen (most
 * one-off texts never are), and at most `capacity` texts per connection: beyond that
 * statements run unnamed as before, so a stream of distinct texts cannot grow the server's
 * memory. Plans stay custom (`plan_cache_mode = force_custom_plan`, set on the connection by
 * `openStore`): a generic plan made while a table was nearly empty would be kept after it grew.
 * The pg client itself is left as it is: the wrapper only decides what to ask it.
 */
export function preparingClient(client: QueryClient, capacity = 200): PostgresPoolClient {
  const seen = new Set<string>();
  const names = new Map<string, string>();
  const banned = new Set<string>();
  let named = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;

  function nameOf(text: string): string | undefined {
    let name = names.get(text);
    if (name === undefined && names.size < capacity && !banned.has(text)) {
      if (seen.has(text)) {
        name = `mw_${named++}`;
        names.set(text, name);
        seen.delete(text);
      } else if (seen.size < capacity * 10) {
        seen.add(text);
      }
    }
    return name;
  }

  return {
    query: ((text: unknown, values?: unknown, callback?: unknown) => {
      // Kysely's call shape is (text, values) answering a promise; any other (a cursor) goes through as is.
      if (typeof text !== "string" || !Array.isArray(values) || callback !== undefined) return query(text, values, callback);
      const name = nameOf(text);
      if (name === undefined) return query(text, values);
      return (query({ name, text, values }) as Promise<unknown>).catch((err: unknown) => {
        // The table changed shape under a prepared `select *` (a migration while this process
        // ran): PostgreSQL refuses the statement from now on. Never name this text again on
        // this connection; the failed call counts as transient (isTransientDbError).
        if (String((err as { message?: unknown }).message ?? "").includes(STALE_PLAN)) {
          names.delete(text);
          banned.add(text);
        }
        throw err;
      });
    }) as PostgresPoolClient["query"],
    release: (destroy?: boolean) => client.release(destroy),
  };
}

/**
 * A pg pool as Kysely's `PostgresPool`, handing out each connection's preparing wrapper (one
 * per connection, kept as long as the connection lives: Kysely recognises its connections
 * by the client object, and the prepared names belong to the server-side session).
 */
export function preparingPool(pool: pg.Pool, capacity?: number): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) wrapped.set(client, (w = preparingClient(client, capacity)));
      return w;
    },
    end: () => pool.end(),
  };
}
