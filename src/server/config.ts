import path from "node:path";

/** Everything the process may be told, validated once at start. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** `sqlite:<file>` or `postgres://…` */
  readonly databaseUrl: string;
  readonly publicUrl: string;
  readonly smtpUrl: string | null;
  readonly secret: string | null;
  readonly bootstrapToken: string | null;
  readonly testClock: boolean;
  readonly logLevel: string;
  /** Largest request body accepted, in bytes (413 beyond). */
  readonly bodyLimit: number;
  /** Requests per token per `rateLimitWindowSeconds`; 0 turns the limit off. */
  readonly rateLimit: number;
  readonly rateLimitWindowSeconds: number;
  /** Custom contact fields per account (Mailtrap: 40). */
  readonly maxFields: number;
  /** Contacts per account; 0 means unlimited. Imports count the rest as over the limit. */
  readonly maxContacts: number;
  /** Automations per account (Mailtrap: 20). */
  readonly maxAutomations: number;
  /** Runs that may start per account per calendar month; 0 means unlimited. */
  readonly monthlyRunQuota: number;
  /** Runs one engine batch claims (and commits per transaction). */
  readonly engineBatch: number;
  readonly engineConcurrency: number;
  /** How long a claimed run stays leased; a dead worker's runs are taken over after it. */
  readonly engineLeaseMs: number;
  /** Envelope sender and From address when a step names none. */
  readonly fromEmail: string;
  /** Pooled SMTP connections per worker process. */
  readonly smtpMaxConnections: number;
  /** Messages per second per worker process; 0 = unlimited. */
  readonly smtpRate: number;
  /** How long 4xx replies and connection errors are retried, from the first attempt. */
  readonly retryWindowHours: number;
  /** Messages one sender batch claims (and commits per transaction). */
  readonly senderBatch: number;
  /** Messages rendered and in flight at once per worker process. */
  readonly senderConcurrency: number;
  /** Wall-clock budget of one message's rendering (checked at every loop iteration). */
  readonly renderTimeoutMs: number;
  /** Largest template source and rendered HTML or text, in bytes. */
  readonly renderMaxBytes: number;
  /** Render threads per process (rendering never runs on the event loop). */
  readonly renderThreads: number;
  /** Heap limit of each render thread, in MB; a render beyond it fails. */
  readonly renderMemoryMb: number;
  /** Time a connection has to send a request's headers (slowloris), in ms. */
  readonly headersTimeoutMs: number;
  /** Time a connection has to send a whole request, body included, in ms; 0 = none. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long, in ms. */
  readonly keepAliveTimeoutMs: number;
  /** A connection that sends or receives nothing this long is closed, in ms. */
  readonly idleTimeoutMs: number;
  /** Open connections beyond which new ones are refused at once; 0 = from the file-descriptor limit. */
  readonly maxConnections: number;
  /** Bearer token /metrics requires; absent: /metrics answers loopback clients only. */
  readonly metricsToken: string | null;
  /** How long a web app sign-in lasts (the session cookie and its row). */
  readonly sessionHours: number;
  /** `start`/`server` build web/dist first when it is missing or older than its sources. */
  readonly webBuild: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

type Source = Readonly<Record<string, string | undefined>>;

interface Option {
  key: keyof Config;
  env: string;
  flag: string;
  description: string;
}

/** One table: env name, flag and meaning. README's configuration table mirrors it. */
export const OPTIONS: readonly Option[] = [
  { key: "port", env: "MAILWRIGHT_PORT", flag: "port", description: "HTTP port (8080)" },
  { key: "host", env: "MAILWRIGHT_HOST", flag: "host", description: "address to bind (127.0.0.1)" },
  { key: "dataDir", env: "MAILWRIGHT_DATA_DIR", flag: "data-dir", description: "data directory (./data)" },
  { key: "databaseUrl", env: "MAILWRIGHT_DATABASE_URL", flag: "database-url", description: "SQLite file in the data dir, or postgres://…" },
  {
    key: "publicUrl",
    env: "MAILWRIGHT_PUBLIC_URL",
    flag: "public-url",
    description: "base of links in emails and exports (http://HOST:PORT)",
  },
  { key: "smtpUrl", env: "MAILWRIGHT_SMTP_URL", flag: "smtp-url", description: "SMTP relay; absent = capture transport" },
  {
    key: "secret",
    env: "MAILWRIGHT_SECRET",
    flag: "secret",
    description: "HMAC key for tracking links (kept in the data dir when absent)",
  },
  {
    key: "bootstrapToken",
    env: "MAILWRIGHT_BOOTSTRAP_TOKEN",
    flag: "bootstrap-token",
    description: "ensures account 1 exists with this API token",
  },
  {
    key: "testClock",
    env: "MAILWRIGHT_TEST_CLOCK",
    flag: "test-clock",
    description: "1 enables the test clock API (refused in production)",
  },
  {
    key: "logLevel",
    env: "MAILWRIGHT_LOG_LEVEL",
    flag: "log-level",
    description: "fatal, error, warn, info, debug, trace or silent (info)",
  },
  { key: "bodyLimit", env: "MAILWRIGHT_BODY_LIMIT", flag: "body-limit", description: "largest request body in bytes (33554432)" },
  { key: "rateLimit", env: "MAILWRIGHT_RATE_LIMIT", flag: "rate-limit", description: "requests per token per window; 0 = off (1000)" },
  {
    key: "rateLimitWindowSeconds",
    env: "MAILWRIGHT_RATE_LIMIT_WINDOW",
    flag: "rate-limit-window",
    description: "rate limit window in seconds (10)",
  },
  { key: "maxFields", env: "MAILWRIGHT_MAX_FIELDS", flag: "max-fields", description: "custom fields per account (40)" },
  { key: "maxContacts", env: "MAILWRIGHT_MAX_CONTACTS", flag: "max-contacts", description: "contacts per account; 0 = unlimited (0)" },
  { key: "maxAutomations", env: "MAILWRIGHT_MAX_AUTOMATIONS", flag: "max-automations", description: "automations per account (20)" },
  {
    key: "monthlyRunQuota",
    env: "MAILWRIGHT_MONTHLY_RUN_QUOTA",
    flag: "monthly-run-quota",
    description: "runs started per account per month; 0 = unlimited (0)",
  },
  {
    key: "engineBatch",
    env: "MAILWRIGHT_ENGINE_BATCH",
    flag: "engine-batch",
    description: "runs claimed per engine batch; 0 = 1000 on PostgreSQL, 200 on SQLite (0)",
  },
  {
    key: "engineConcurrency",
    env: "MAILWRIGHT_ENGINE_CONCURRENCY",
    flag: "engine-concurrency",
    description: "engine batches in flight per worker on PostgreSQL; SQLite always 1 (2)",
  },
  { key: "engineLeaseMs", env: "MAILWRIGHT_ENGINE_LEASE_MS", flag: "engine-lease-ms", description: "lease on claimed runs in ms (30000)" },
  { key: "fromEmail", env: "MAILWRIGHT_FROM_EMAIL", flag: "from-email", description: "default sender address (mailwright@<public host>)" },
  {
    key: "smtpMaxConnections",
    env: "MAILWRIGHT_SMTP_MAX_CONNECTIONS",
    flag: "smtp-max-connections",
    description: "pooled SMTP connections per worker (5)",
  },
  { key: "smtpRate", env: "MAILWRIGHT_SMTP_RATE", flag: "smtp-rate", description: "messages per second per worker; 0 = unlimited (0)" },
  {
    key: "retryWindowHours",
    env: "MAILWRIGHT_RETRY_WINDOW_HOURS",
    flag: "retry-window-hours",
    description: "hours 4xx/connection failures are retried (72)",
  },
  { key: "senderBatch", env: "MAILWRIGHT_SENDER_BATCH", flag: "sender-batch", description: "messages claimed per sender batch (200)" },
  {
    key: "senderConcurrency",
    env: "MAILWRIGHT_SENDER_CONCURRENCY",
    flag: "sender-concurrency",
    description: "messages in flight per worker (20)",
  },
  {
    key: "renderTimeoutMs",
    env: "MAILWRIGHT_RENDER_TIMEOUT_MS",
    flag: "render-timeout-ms",
    description: "time budget of one message's rendering in ms (1000)",
  },
  {
    key: "renderMaxBytes",
    env: "MAILWRIGHT_RENDER_MAX_BYTES",
    flag: "render-max-bytes",
    description: "largest template source and rendered part in bytes (1048576)",
  },
  { key: "renderThreads", env: "MAILWRIGHT_RENDER_THREADS", flag: "render-threads", description: "render threads per process (2)" },
  {
    key: "renderMemoryMb",
    env: "MAILWRIGHT_RENDER_MEMORY_MB",
    flag: "render-memory-mb",
    description: "heap limit of each render thread in MB (128)",
  },
  {
    key: "headersTimeoutMs",
    env: "MAILWRIGHT_HEADERS_TIMEOUT_MS",
    flag: "headers-timeout-ms",
    description: "time to send a request's headers in ms (10000)",
  },
  {
    key: "requestTimeoutMs",
    env: "MAILWRIGHT_REQUEST_TIMEOUT_MS",
    flag: "request-timeout-ms",
    description: "time to send a whole request in ms; 0 = none (120000)",
  },
  {
    key: "keepAliveTimeoutMs",
    env: "MAILWRIGHT_KEEP_ALIVE_TIMEOUT_MS",
    flag: "keep-alive-timeout-ms",
    description: "idle keep-alive connections close after this many ms (5000)",
  },
  {
    key: "idleTimeoutMs",
    env: "MAILWRIGHT_IDLE_TIMEOUT_MS",
    flag: "idle-timeout-ms",
    description: "a silent connection closes after this many ms (30000)",
  },
  {
    key: "maxConnections",
    env: "MAILWRIGHT_MAX_CONNECTIONS",
    flag: "max-connections",
    description: "open connections; newer ones are refused; 0 = from the fd limit (0)",
  },
  {
    key: "metricsToken",
    env: "MAILWRIGHT_METRICS_TOKEN",
    flag: "metrics-token",
    description: "bearer token /metrics requires (absent: loopback clients only)",
  },
  { key: "sessionHours", env: "MAILWRIGHT_SESSION_HOURS", flag: "session-hours", description: "hours a web app sign-in lasts (168)" },
  {
    key: "webBuild",
    env: "MAILWRIGHT_WEB_BUILD",
    flag: "web-build",
    description: "1 builds a missing or stale web/dist at start, 0 never (1)",
  },
];

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * Builds the frozen Config from flags (which win) and environment. Every problem is
 * collected so the operator sees them all in one start.
 */
export function loadConfig(env: Source, flags: Source = {}, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const raw = (key: keyof Config): string | undefined => {
    const opt = OPTIONS.find((o) => o.key === key)!;
    const v = flags[opt.flag] ?? env[opt.env];
    return v === undefined || v === "" ? undefined : v;
  };
  const name = (key: keyof Config) => {
    const opt = OPTIONS.find((o) => o.key === key)!;
    return `${opt.env} (--${opt.flag})`;
  };
  const int = (key: keyof Config, dflt: number, min: number, max: number): number => {
    const v = raw(key);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) {
      problems.push(`${name(key)} must be an integer from ${min} to ${max}, got "${v}"`);
      return dflt;
    }
    return n;
  };

  const port = int("port", 8080, 0, 65535);
  const host = raw("host") ?? "127.0.0.1";
  const dataDir = path.resolve(cwd, raw("dataDir") ?? "./data");

  let databaseUrl = raw("databaseUrl") ?? `sqlite:${path.join(dataDir, "mailwright.db")}`;
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    try {
      new URL(databaseUrl);
    } catch {
      problems.push(`${name("databaseUrl")} is not a valid URL`);
    }
  } else if (databaseUrl.startsWith("sqlite:")) {
    const file = databaseUrl.slice("sqlite:".length);
    if (file === "") problems.push(`${name("databaseUrl")} names no SQLite file`);
    else if (file !== ":memory:") databaseUrl = `sqlite:${path.resolve(cwd, file)}`;
  } else {
    problems.push(`${name("databaseUrl")} must start with postgres:// or sqlite:, got "${databaseUrl}"`);
  }

  const publicUrl = (raw("publicUrl") ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(/\/+$/, "");
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("protocol");
  } catch {
    problems.push(`${name("publicUrl")} must be an http(s) URL, got "${publicUrl}"`);
  }

  const smtpUrl = raw("smtpUrl") ?? null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) {
    problems.push(`${name("smtpUrl")} must look like smtp://user:pass@host:587`);
  }

  const secret = raw("secret") ?? null;
  if (secret !== null && secret.length < 32) problems.push(`${name("secret")} must be at least 32 characters`);

  const bootstrapToken = raw("bootstrapToken") ?? null;
  if (bootstrapToken !== null && !/^[\x21-\x7e]{16,200}$/.test(bootstrapToken)) {
    problems.push(`${name("bootstrapToken")} must be 16 to 200 printable characters without spaces`);
  }

  const bool = (key: keyof Config, dflt: boolean): boolean => {
    const v = raw(key);
    if (v === undefined) return dflt;
    if (!["0", "1", "true", "false"].includes(v)) problems.push(`${name(key)} must be 1 or 0`);
    return v === "1" || v === "true";
  };
  const testClock = bool("testClock", false);
  if (testClock && env["NODE_ENV"] === "production") {
    problems.push(`${name("testClock")} is refused when NODE_ENV=production`);
  }

  // RFC 5321 addr-spec, conservatively: one @, no spaces or angle brackets.
  const fromEmail =
    raw("fromEmail") ??
    `mailwright@${(() => {
      try {
        return new URL(publicUrl).hostname.replace(/^\[|\]$/g, "") || "localhost";
      } catch {
        return "localhost";
      }
    })()}`;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(fromEmail)) problems.push(`${name("fromEmail")} must be an email address, got "${fromEmail}"`);

  const metricsToken = raw("metricsToken") ?? null;
  if (metricsToken !== null && !/^[\x21-\x7e]{16,200}$/.test(metricsToken))
    problems.push(`${name("metricsToken")} must be 16 to 200 printable characters without spaces`);

  const logLevel = raw("logLevel") ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`${name("logLevel")} must be one of ${LOG_LEVELS.join(", ")}`);

  const config: Config = {
    port,
    host,
    dataDir,
    databaseUrl,
    publicUrl,
    smtpUrl,
    secret,
    bootstrapToken,
    testClock,
    logLevel,
    bodyLimit: int("bodyLimit", 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    rateLimit: int("rateLimit", 1000, 0, 10_000_000),
    rateLimitWindowSeconds: int("rateLimitWindowSeconds", 10, 1, 86_400),
    maxFields: int("maxFields", 40, 1, 10_000),
    maxContacts: int("maxContacts", 0, 0, 1_000_000_000),
    maxAutomations: int("maxAutomations", 20, 1, 100_000),
    monthlyRunQuota: int("monthlyRunQuota", 0, 0, 1_000_000_000),
    engineBatch: int("engineBatch", 0, 0, 10_000),
    engineConcurrency: int("engineConcurrency", 2, 1, 64),
    engineLeaseMs: int("engineLeaseMs", 30_000, 100, 3_600_000),
    fromEmail,
    smtpMaxConnections: int("smtpMaxConnections", 5, 1, 100),
    smtpRate: int("smtpRate", 0, 0, 100_000),
    retryWindowHours: int("retryWindowHours", 72, 1, 720),
    senderBatch: int("senderBatch", 200, 1, 10_000),
    senderConcurrency: int("senderConcurrency", 20, 1, 1000),
    renderTimeoutMs: int("renderTimeoutMs", 1000, 10, 60_000),
    renderMaxBytes: int("renderMaxBytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
    renderThreads: int("renderThreads", 2, 1, 64),
    renderMemoryMb: int("renderMemoryMb", 128, 16, 16_384),
    headersTimeoutMs: int("headersTimeoutMs", 10_000, 100, 600_000),
    requestTimeoutMs: int("requestTimeoutMs", 120_000, 0, 3_600_000),
    keepAliveTimeoutMs: int("keepAliveTimeoutMs", 5_000, 100, 600_000),
    idleTimeoutMs: int("idleTimeoutMs", 30_000, 100, 3_600_000),
    maxConnections: int("maxConnections", 0, 0, 10_000_000),
    metricsToken,
    sessionHours: int("sessionHours", 168, 1, 8760),
    webBuild: bool("webBuild", true),
  };
  if (config.requestTimeoutMs > 0 && config.headersTimeoutMs > config.requestTimeoutMs)
    problems.push(`${name("headersTimeoutMs")} must not exceed ${name("requestTimeoutMs")}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
