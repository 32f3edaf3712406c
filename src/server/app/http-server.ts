import { readFileSync } from "node:fs";
import http from "node:http";
import type { Config } from "../config.ts";

/** File descriptors kept for the database, SMTP, render threads and logs when connections fill the rest. */
const RESERVED_FDS = 256;

/** The soft limit on open files (Linux: /proc/self/limits), or null where it cannot be read. */
export function openFileLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    return m && m[1] !== "unlimited" ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Open connections the server accepts: the configured cap, never more than the file
 * descriptors leave room for (20,200 idle connections once exhausted them, and then every
 * request failed, the database's included). Node cannot raise the descriptor limit itself
 * (no setrlimit): the start log names it, and `ulimit -n` or systemd's LimitNOFILE raise it.
 */
export function connectionCap(config: Pick<Config, "maxConnections">, fdLimit = openFileLimit()): number {
  const room = fdLimit === null ? Number.POSITIVE_INFINITY : Math.max(64, fdLimit - RESERVED_FDS);
  const cap = config.maxConnections === 0 ? room : Math.min(config.maxConnections, room);
  return Number.isFinite(cap) ? cap : 10_000;
}

/**
 * The HTTP server Fastify runs on, with every limit an open port needs: headers must arrive
 * within `headersTimeoutMs` (slowloris), the whole request within `requestTimeoutMs` (slow
 * bodies), a silent connection closes after `idleTimeoutMs`, an idle keep-alive one after
 * `keepAliveTimeoutMs`, and connections beyond the cap are refused at once (the newest is
 * shed; those in progress carry on). Node checks the first two every `connectionsCheckingInterval`
 * (30 s by default, here 1 s).
 */
export function createHttpServer(config: Config, handler: http.RequestListener): http.Server {
  const server = http.createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
    },
    handler,
  );
  server.setTimeout(config.idleTimeoutMs);
  server.maxConnections = connectionCap(config);
  return server;
}
