import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Counter, Gauge, Histogram, type Metric, Registry } from "prom-client";
import type { Store } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { engineState } from "./metrics-repo.ts";

/**
 * Prometheus `/metrics`: HTTP latency by route, and engine state read from the database
 * at scrape time (due runs, scheduler lag, trigger backlog, messages by status), so every
 * process reports the same shared truth, plus what this process measures itself (the
 * transport's time per delivery attempt). One registry per app: no global state.
 */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Who may scrape: with a token configured, a request bearing it (compared in constant
 * time); without one, loopback clients only. The counts cover every tenant, so they are
 * not for the open internet.
 */
function mayScrape(req: FastifyRequest, token: string | null): boolean {
  if (token === null) return LOOPBACK.test(req.socket.remoteAddress ?? req.ip);
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}

export function registerMetrics(
  app: FastifyInstance,
  store: Store,
  clock: Clock,
  own: readonly Metric[] = [],
  token: string | null = null,
): void {
  const registry = new Registry();
  for (const m of own) registry.registerMetric(m);
  const http = new Histogram({
    name: "mailwright_http_request_duration_seconds",
    help: "HTTP request latency by route and status class",
    labelNames: ["method", "route", "status"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const requests = new Counter({
    name: "mailwright_http_requests_total",
    help: "HTTP requests",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const dueRuns = new Gauge({ name: "mailwright_due_runs", help: "Live runs whose wake time has come", registers: [registry] });
  const lag = new Gauge({ name: "mailwright_scheduler_lag_seconds", help: "How late the most overdue run is", registers: [registry] });
  const backlog = new Gauge({ name: "mailwright_trigger_backlog", help: "Trigger events not yet dispatched", registers: [registry] });
  const messages = new Gauge({ name: "mailwright_messages", help: "Messages by status", labelNames: ["status"], registers: [registry] });

  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    const labels = { method: req.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` };
    http.observe(labels, reply.elapsedTime / 1000);
    requests.inc(labels);
  });

  app.get("/metrics", { schema: { hide: true } }, async (req, reply) => {
    if (!mayScrape(req, token))
      return reply.code(token === null ? 403 : 401).send({
        error:
          token === null
            ? "/metrics answers loopback clients only (set MAILWRIGHT_METRICS_TOKEN to scrape from elsewhere)"
            : "/metrics needs the metrics token",
      });
    const now = clock.now();
    const state = await engineState(store.db, now);
    dueRuns.set(state.dueRuns);
    lag.set(state.oldestDue === null ? 0 : Math.max(0, (now - state.oldestDue) / 1000));
    backlog.set(state.pendingTriggers);
    messages.reset();
    for (const r of state.messagesByStatus) messages.set({ status: r.status }, r.n);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
