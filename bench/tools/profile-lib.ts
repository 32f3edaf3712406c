import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import pino from "pino";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../../src/server/config.ts";
import { openStore, type Store } from "../../src/server/db/connect.ts";
import { migrate } from "../../src/server/db/migrate.ts";
import { TestClock } from "../../src/server/engine/test-clock.ts";
import { buildApp } from "../../src/server/app/build-app.ts";
import { createServices, type Services } from "../../src/server/app/services.ts";
import { DEFAULT_PG_ADMIN_URL, type FreshStore, freshStore, type StoreKind } from "../lib/stores.ts";

/**
 * The profiling tools' common part: Mailwright in this process (services and the HTTP app,
 * test clock on) over a fresh store whose every statement is timed by its shape while
 * `profiling` is on. Not part of `npm run bench`: these answer "where does the time go".
 */
export interface Profiled {
  kind: StoreKind;
  fresh: FreshStore;
  store: Store;
  app: FastifyInstance;
  services: Services;
  clock: TestClock;
  token: string;
  /** POST with the account's token; throws on an error answer. */
  post(url: string, body: unknown): Promise<{ data: { id: number } }>;
  /**
   * Times statements from now until `stop`; then prints the table (top 30 shapes). With
   * CPU_PROF=<file>, also writes a V8 CPU profile of exactly that window (startup excluded).
   */
  profile(): Promise<{ stop(label: string, seconds: number, units: number, unit: string): Promise<void> }>;
  close(): Promise<void>;
}

// Placeholder lists of any length count as one shape.
const shape = (text: string) =>
  text
    .replace(/\s+/g, " ")
    .replace(/(\$\d+|\?)(, (\$\d+|\?))+/g, "…")
    .slice(0, 110);

export async function profiled(kind: StoreKind): Promise<Profiled> {
  const fresh = await freshStore(kind, process.env["BENCH_PG_ADMIN_URL"] ?? DEFAULT_PG_ADMIN_URL);
  let on = false;
  const byShape = new Map<string, { ms: number; count: number }>();
  const series: number[] = [];
  const store = openStore(fresh.databaseUrl, {
    onQuery: (text, ms) => {
      if (!on) return;
      const k = shape(text);
      const s = byShape.get(k) ?? { ms: 0, count: 0 };
      s.ms += ms;
      s.count++;
      byShape.set(k, s);
      if (process.env["SHOW_SHAPE"] && k.includes(process.env["SHOW_SHAPE"])) series.push(Math.round(ms));
    },
  });
  await migrate(store);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("MAILWRIGHT_"))) as Record<string, string>;
  const config = loadConfig({
    MAILWRIGHT_RATE_LIMIT: "0",
    ...env,
    MAILWRIGHT_DATABASE_URL: fresh.databaseUrl,
    MAILWRIGHT_TEST_CLOCK: "1",
    MAILWRIGHT_DATA_DIR: fresh.dataDir,
    MAILWRIGHT_SECRET: "profile-secret-profile-secret-0123456789",
  });
  const clock = new TestClock(store.db);
  const services = createServices(store, config, clock, pino({ level: "silent" }), { testClock: clock });
  const app = await buildApp({ config, store, services });
  const { id } = await services.accounts.create("profile");
  const token = await services.accounts.createToken(id, "profile");
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  return {
    kind,
    fresh,
    store,
    app,
    services,
    clock,
    token,
    async post(url, body) {
      const res = await app.inject({ method: "POST", url, headers, payload: JSON.stringify(body) });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async profile() {
      byShape.clear();
      series.length = 0;
      const cpuFile = process.env["CPU_PROF"];
      const session = cpuFile ? new Session() : null;
      if (session) {
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.start");
      }
      on = true;
      return {
        async stop(label, seconds, units, unit) {
          on = false;
          if (session && cpuFile) {
            const { profile } = await session.post("Profiler.stop");
            await writeFile(cpuFile, JSON.stringify(profile));
            session.disconnect();
          }
          const inSql = [...byShape.values()].reduce((s, v) => s + v.ms, 0);
          console.log(
            `${kind}: ${label} in ${seconds.toFixed(2)} s (${Math.round(units / seconds)} ${unit}/s); ${(inSql / 1000).toFixed(2)} s waiting on statements`,
          );
          for (const [k, v] of [...byShape.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, 30)) {
            console.log(
              `${v.ms.toFixed(0).padStart(7)} ms ${String(v.count).padStart(6)}× ${(v.ms / v.count).toFixed(2).padStart(6)} ms  ${k}`,
            );
          }
          if (series.length > 0) console.log(`${process.env["SHOW_SHAPE"]}: ${series.join(" ")}`);
        },
      };
    },
    async close() {
      await services.engine.stop();
      await services.sender.stop();
      await services.jobs.stop();
      await services.wakeup.close();
      await app.close();
      await store.close();
      if (process.argv.includes("--keep")) console.log(`kept ${fresh.databaseUrl}`);
      else await fresh.dispose();
    },
  };
}
