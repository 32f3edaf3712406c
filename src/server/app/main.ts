import type { FastifyInstance } from "fastify";
import pino from "pino";
import type { Config } from "../config.ts";
import { systemClock } from "../clock.ts";
import { openStore, type Store } from "../db/connect.ts";
import { migrate } from "../db/migrate.ts";
import { createServices, type Services } from "./services.ts";
import { dialectOf } from "../db/dialect-of.ts";
import { TestClock } from "../engine/test-clock.ts";

export interface Roles {
  /** Serve the HTTP API. */
  http: boolean;
  /** Run background work: the engine (dispatcher, executor), the sender and import/export jobs. */
  worker: boolean;
}

export interface Running {
  app: FastifyInstance | null;
  store: Store;
  services: Services;
  /** Base URL the server listens on, when it does. */
  url: string | null;
  close(): Promise<void>;
}

/** The composition root: config → store → services → HTTP and background roles. */
export async function startMailwright(config: Config, roles: Roles): Promise<Running> {
  const log = pino({ level: config.logLevel });
  const store = openStore(config.databaseUrl);
  const applied = await migrate(store);
  if (applied.length > 0) log.info({ migrations: applied }, "migrations applied");
  const testClock = config.testClock ? new TestClock(store.db) : undefined;
  await testClock?.refresh();
  const services = createServices(store, config, testClock ?? systemClock, log, { testClock });
  // Other processes wake this one's workers through NOTIFY where the store is shared.
  if (dialectOf(store.db).sharedByProcesses && roles.worker) await services.wakeup.listen(config.databaseUrl, log);
  if (config.bootstrapToken) await services.accounts.bootstrap(config.bootstrapToken);

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (roles.http) {
    // Loaded only by processes that serve HTTP: a worker does without Fastify and the routes.
    const { buildApp } = await import("./build-app.ts");
    app = await buildApp({ config, store, services, logger: log });
    url = await app.listen({ port: config.port, host: config.host });
  }
  if (roles.worker) {
    services.jobs.start();
    services.engine.start();
    services.sender.start();
  }
  log.info({ url, roles, database: store.dialect }, "mailwright started");
  // Jenkins-style: beyond loopback, the first-run setup asks for a code only the operator can read.
  if (roles.http && services.setupCode && (await services.users.describe(undefined)).view.setup_required) {
    log.warn(
      { setupCode: services.setupCode.code, file: services.setupCode.file },
      "first-run setup: enter this setup code (also kept in the file) to create the first user",
    );
  }

  let closing: Promise<void> | null = null;
  return {
    app,
    store,
    services,
    url,
    close() {
      closing ??= (async () => {
        await app?.close(); // stops accepting, lets requests in flight finish
        await services.jobs.stop(); // the job in hand finishes its batch
        await services.engine.stop(); // the batch in hand commits its step
        await services.sender.stop(); // the batch in hand commits its outcomes; the SMTP pool closes
        await services.wakeup.close();
        await services.renderer.close();
        await store.close();
        log.info("mailwright stopped");
      })();
      return closing;
    },
  };
}
