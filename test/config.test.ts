import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/server/config.ts";

describe("loadConfig", () => {
  it("defaults to 127.0.0.1:8080 with SQLite in ./data", () => {
    const c = loadConfig({}, {}, "/srv/app");
    expect(c).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      dataDir: "/srv/app/data",
      databaseUrl: "sqlite:/srv/app/data/mailwright.db",
      publicUrl: "http://127.0.0.1:8080",
      smtpUrl: null,
      testClock: false,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("lets flags win over the environment", () => {
    const c = loadConfig({ MAILWRIGHT_PORT: "9000" }, { port: "9100" });
    expect(c.port).toBe(9100);
    expect(c.publicUrl).toBe("http://127.0.0.1:9100");
  });

  it("reports every wrong value at once, naming each variable", () => {
    let err: unknown;
    try {
      loadConfig({
        MAILWRIGHT_PORT: "http",
        MAILWRIGHT_DATABASE_URL: "mysql://x",
        MAILWRIGHT_BOOTSTRAP_TOKEN: "short",
        MAILWRIGHT_PUBLIC_URL: "ftp://x",
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join("\n");
    for (const name of ["MAILWRIGHT_PORT", "MAILWRIGHT_DATABASE_URL", "MAILWRIGHT_BOOTSTRAP_TOKEN", "MAILWRIGHT_PUBLIC_URL"])
      expect(problems).toContain(name);
  });

  it("refuses the test clock in production", () => {
    expect(() => loadConfig({ MAILWRIGHT_TEST_CLOCK: "1", NODE_ENV: "production" })).toThrow(/refused when NODE_ENV=production/);
    expect(loadConfig({ MAILWRIGHT_TEST_CLOCK: "1" }).testClock).toBe(true);
  });

  it("accepts a PostgreSQL URL as is", () => {
    expect(loadConfig({ MAILWRIGHT_DATABASE_URL: "postgres://u@db:5432/mw" }).databaseUrl).toBe("postgres://u@db:5432/mw");
  });
});
