import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import pino from "pino";
import { type Config, loadConfig } from "../../src/server/config.ts";
import { type Clock, systemClock } from "../../src/server/clock.ts";
import { TestClock } from "../../src/server/engine/test-clock.ts";
import type { DialectName } from "../../src/server/db/connect.ts";
import { buildApp } from "../../src/server/app/build-app.ts";
import { createServices, type ServiceOptions, type Services } from "../../src/server/app/services.ts";
import { freshStore, type TestStore } from "./with-database.ts";

export interface TestAccount {
  accountId: number;
  token: string;
  /** Authorization headers for this account's token. */
  headers: Record<string, string>;
}

export interface TestApp extends TestStore {
  app: FastifyInstance;
  services: Services;
  config: Config;
  /** A fresh account with its own API token. */
  newAccount(): Promise<TestAccount>;
  /** `inject` with the account's token and a JSON body. */
  call(
    account: TestAccount,
    method: InjectOptions["method"],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real app over a fresh database of the dialect; it does not listen unless a test asks. */
export async function testApp(
  dialect: DialectName,
  env: Record<string, string> = {},
  opts: { clock?: Clock; executor?: ServiceOptions["executor"]; senderRandom?: ServiceOptions["senderRandom"] } = {},
): Promise<TestApp> {
  const ts = await freshStore(dialect);
  const config = loadConfig({
    MAILWRIGHT_DATABASE_URL: ts.url,
    MAILWRIGHT_RATE_LIMIT: "0",
    MAILWRIGHT_DATA_DIR: "/tmp/mw-test-data",
    MAILWRIGHT_SECRET: "test-secret-test-secret-test-secret-0123",
    ...env,
  });
  const testClock = config.testClock ? new TestClock(ts.store.db) : undefined;
  const services = createServices(ts.store, config, opts.clock ?? testClock ?? systemClock, pino({ level: "silent" }), {
    testClock,
    executor: opts.executor,
    senderRandom: opts.senderRandom,
  });
  const app = await buildApp({ config, store: ts.store, services });
  return {
    ...ts,
    app,
    services,
    config,
    async newAccount() {
      const { id } = await services.accounts.create("test");
      const token = await services.accounts.createToken(id, "test");
      return { accountId: id, token, headers: { authorization: `Bearer ${token}` } };
    },
    call(account, method, url, body, headers = {}) {
      return app.inject({
        method,
        url,
        headers: { ...account.headers, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        ...(body === undefined ? {} : { payload: typeof body === "string" ? body : JSON.stringify(body) }),
      });
    },
    async close() {
      await services.jobs.stop();
      await services.engine.stop();
      await services.sender.stop();
      await services.wakeup.close();
      await services.renderer.close();
      await app.close();
      await ts.dispose();
    },
  };
}
