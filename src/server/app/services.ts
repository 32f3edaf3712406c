import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config.ts";
import type { Clock } from "../clock.ts";
import type { Store } from "../db/connect.ts";
import { plannerStats } from "../db/planner-stats.ts";
import { Histogram } from "prom-client";
import { Wakeup } from "../db/wakeup.ts";
import { accountsRepo } from "../accounts/accounts-repo.ts";
import { contactsService } from "../contacts/contacts-service.ts";
import { fieldsService } from "../fields/fields-service.ts";
import { findField } from "../fields/fields-repo.ts";
import { listsService } from "../lists/lists-service.ts";
import { importsService } from "../imports/imports-service.ts";
import { exportsService } from "../exports/exports-service.ts";
import { templatesService } from "../templates/templates-service.ts";
import { idempotency } from "../idempotency/idempotency.ts";
import { jobRunner, type JobRunner } from "../background/job-runner.ts";
import { dialectOf } from "../db/dialect-of.ts";
import { tokensService } from "../accounts/tokens-service.ts";
import { automationsService } from "../automations/automations-service.ts";
import { runsService } from "../automations/runs-service.ts";
import { outboxService } from "../email/outbox-service.ts";
import { automationsUsingField, automationsUsingList } from "../automations/automations-repo.ts";
import { dispatcher } from "../engine/dispatcher.ts";
import { executor, type ExecutorOptions } from "../engine/executor.ts";
import { engineWorker } from "../engine/engine-worker.ts";
import type { TestClock } from "../engine/test-clock.ts";
import { loadSecret, trackingLinks } from "../email/tokens.ts";
import { captureTransport } from "../email/capture-transport.ts";
import { smtpTransport } from "../email/smtp-transport.ts";
import type { Transport } from "../email/transport.ts";
import { sender } from "../email/sender.ts";
import { renderPool } from "../email/render-pool.ts";
import { trackingService } from "../tracking/tracking-service.ts";
import { reportsService } from "../reports/reports-service.ts";
import { activityService } from "../reports/activity-service.ts";
import { usersService } from "../users/users-service.ts";
import { loadSetupCode } from "../users/setup-code.ts";

export interface ServiceOptions {
  /** The test clock, when it is on (it is also `clock`). */
  testClock?: TestClock;
  /** Test hooks for the executor. */
  executor?: Partial<ExecutorOptions>;
  /** Pins the sender's retry jitter (tests). */
  senderRandom?: () => number;
}

// Renewed every minute while a batch is in hand, so a dead worker's messages are taken over
// after at most this long. A send starts only while the lease outlasts the SMTP transport's
// timeouts (30 s connect, 60 s socket, plus margin: SENDER_ATTEMPT_MS), so a message is
// never in flight when its lease runs out.
const SENDER_LEASE_MS = 3 * 60_000;
const SENDER_ATTEMPT_MS = 95_000;

/** Wires every service over one store; nothing here starts work or listens. */
export function createServices(store: Store, config: Config, clock: Clock, log: FastifyBaseLogger, opts: ServiceOptions = {}) {
  const wakeup = new Wakeup();
  // HMAC key of tracking and unsubscribe links: MAILWRIGHT_SECRET, or kept in the data dir.
  const secret = loadSecret(config.secret, config.dataDir);
  // Asked by the first-run setup when the server listens beyond loopback (setup-code.ts).
  const setupCode = loadSetupCode(config.host, config.dataDir);
  const wake = () => wakeup.signal();
  // Called only once a job is queued, after `jobs` below exists.
  const kick = () => jobs.kick();
  const stats = plannerStats(store);
  const imports = importsService(store, clock, { maxContacts: config.maxContacts, onQueued: kick, onApplied: wake, stats });
  const exports = exportsService(store, clock, { publicUrl: config.publicUrl, onQueued: kick });
  const idem = idempotency(store, clock);
  const jobs: JobRunner = jobRunner(store, clock, [imports.handler, exports.handler], log, {
    maintenance: async () => void (await idem.purgeExpired()),
  });
  // Per database (docs/adr/0009): PostgreSQL pays per statement (a round trip, planning), so
  // larger batches; SQLite holds its one write lock for a batch's transaction, so smaller
  // ones let API writes in between, and one batch at a time (a second would only queue).
  const defaults = dialectOf(store.db).defaults;
  const engineBatch = config.engineBatch || defaults.engineBatch;
  const exec = executor(store, clock, log, { batchSize: engineBatch, leaseMs: config.engineLeaseMs, stats, ...opts.executor });
  const engine = engineWorker(
    store,
    clock,
    dispatcher(store, clock, { defaultMonthlyQuota: config.monthlyRunQuota, stats }),
    exec,
    wakeup,
    log,
    {
      idleMs: defaults.idleMs,
      concurrency: Math.min(defaults.maxEngineConcurrency, config.engineConcurrency),
    },
  );
  const links = trackingLinks(secret, config.publicUrl);
  // Per process (the one that sends); /metrics of the same process exports it.
  const sendDuration = new Histogram({
    name: "mailwright_send_duration_seconds",
    help: "Time the mail transport took per delivery attempt, by outcome",
    labelNames: ["outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [],
  });
  const transport: Transport = config.smtpUrl
    ? smtpTransport({ url: config.smtpUrl, maxConnections: config.smtpMaxConnections, rate: config.smtpRate })
    : captureTransport(store, clock);
  const limits = { maxBytes: config.renderMaxBytes, timeoutMs: config.renderTimeoutMs };
  // Previews, simulations and the sender render through one pool of threads (render-pool.ts).
  const renderer = renderPool({ limits, threads: config.renderThreads, memoryMb: config.renderMemoryMb });
  const send = sender(store, clock, transport, links, wakeup, log, {
    batchSize: config.senderBatch,
    concurrency: config.senderConcurrency,
    leaseMs: SENDER_LEASE_MS,
    attemptMs: SENDER_ATTEMPT_MS,
    retryWindowMs: config.retryWindowHours * 3_600_000,
    limits,
    renderer,
    host: new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, ""),
    defaultFrom: config.fromEmail,
    idleMs: defaults.idleMs,
    ...(opts.senderRandom ? { random: opts.senderRandom } : {}),
    onAttempt: (seconds, outcome) => sendDuration.observe({ outcome }, seconds),
  });
  return {
    accounts: accountsRepo(store, clock),
    tokens: tokensService(store, clock),
    /** Web app users and their sessions. */
    users: usersService(store, clock, {
      sessionHours: config.sessionHours,
      testClock: config.testClock,
      setupCode: setupCode?.code ?? null,
    }),
    contacts: contactsService(store, clock, { maxContacts: config.maxContacts, onChange: wake }),
    fields: fieldsService(store, clock, {
      maxFields: config.maxFields,
      usage: async (accountId, fieldId) => {
        const field = await findField(store.db, accountId, fieldId);
        return field ? automationsUsingField(store.db, accountId, field.merge_tag) : [];
      },
    }),
    lists: listsService(store, clock, { usage: (accountId, listId) => automationsUsingList(store.db, accountId, listId) }),
    templates: templatesService(store, clock, renderer, {
      transport,
      from: config.fromEmail,
      host: new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, ""),
    }),
    automations: automationsService(store, clock, renderer, { maxAutomations: config.maxAutomations, onChange: wake }),
    /** The run inspector: runs by contact, step and status, and one run's journal. */
    runs: runsService(store),
    /** The capture outbox and the message rows, read-only. */
    outbox: outboxService(store),
    imports,
    exports,
    /** Render threads; closed last. */
    renderer,
    idempotency: idem,
    jobs,
    engine,
    wakeup,
    /** Delivers queued messages (worker role). */
    sender: send,
    /** Public URLs (open pixel, click, unsubscribe) for rendered messages. */
    links,
    tracking: trackingService(store, clock, secret, { onChange: wake }),
    reports: reportsService(store),
    activity: activityService(store),
    testClock: opts.testClock ?? null,
    /** Where the first-run setup code is kept, when one is asked for. */
    setupCode,
    clock,
    /** Metrics this process measures itself (the rest /metrics reads from the database). */
    metrics: [sendDuration],
  };
}

export type Services = ReturnType<typeof createServices>;
