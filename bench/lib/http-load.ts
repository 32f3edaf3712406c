import autocannon from "autocannon";
import { email } from "./engine-fixtures.ts";

export interface LoadResult {
  /** 2xx answers per second of the measured window. */
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  seconds: number;
}

export interface EventLoad {
  baseUrl: string;
  /** Bearer token, or null for a server without auth (the ceiling). */
  token: string | null;
  /** Events go to contacts 0, 1, …, contacts − 1, 0, … in turn (`email(i)`). */
  contacts: number;
  connections: number;
  seconds: number;
}

const BODY = JSON.stringify({ name: "page_viewed", params: { path: "/pricing", plan: "pro" } });

/**
 * `POST /api/contacts/{email}/events` from `connections` keep-alive connections (autocannon,
 * in this process, one request in flight per connection) for `seconds`; every answer must
 * be a 2xx or the measurement is void. The cursor `next` carries on across calls, so a
 * warm-up and the measured window after it go to different contacts.
 */
export async function eventLoad(o: EventLoad, next: { i: number }): Promise<LoadResult> {
  const result = await autocannon({
    url: o.baseUrl,
    connections: o.connections,
    duration: o.seconds,
    method: "POST",
    headers: { "content-type": "application/json", ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
    body: BODY,
    requests: [
      {
        setupRequest: (req) => ({ ...req, path: `/api/contacts/${encodeURIComponent(email(next.i++ % o.contacts))}/events` }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${o.baseUrl}: ${result.non2xx} non-2xx answers (${JSON.stringify(result.statusCodeStats)}), ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    requestsPerSec: result["2xx"] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result["2xx"],
    seconds: result.duration,
  };
}
