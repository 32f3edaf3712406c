import { parseArgs } from "node:util";
import pino from "pino";
import { ConfigError, loadConfig, OPTIONS } from "../config.ts";
import { systemClock } from "../clock.ts";
import { openStore } from "../db/connect.ts";
import { migrate } from "../db/migrate.ts";
import { accountsRepo } from "../accounts/accounts-repo.ts";
import { startMailwright, type Roles } from "./main.ts";
import { ensureWebBuild } from "./web-build.ts";

const USAGE = `Usage: mailwright <command> [options]

Commands:
  start                 API, web app and background work in one process
  server                API and web app only
  worker                background work only
  migrate               apply database migrations and exit
  accounts create       create an account (--name NAME) and print its id
  tokens create         create an API token (--account ID [--name NAME]); printed once

Options (each also read from the environment variable shown):
${OPTIONS.map((o) => `  --${o.flag.padEnd(20)} ${o.env.padEnd(30)} ${o.description}`).join("\n")}
`;

const ROLES: Record<string, Roles> = {
  start: { http: true, worker: true },
  server: { http: true, worker: false },
  worker: { http: false, worker: true },
};

/** Runs one CLI command; returns the exit code. Reads env and argv here and nowhere else. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const options = Object.fromEntries([
    ...OPTIONS.map((o) => [o.flag, { type: "string" as const }]),
    ["account", { type: "string" as const }],
    ["name", { type: "string" as const }],
    ["help", { type: "boolean" as const, short: "h" }],
  ]);
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, sub] = parsed.positionals;
  if (parsed.values["help"] || !command) {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const flags = Object.fromEntries(Object.entries(parsed.values).filter(([, v]) => typeof v === "string")) as Record<string, string>;

  let config;
  try {
    config = loadConfig(env, flags);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }

  const roles = ROLES[command];
  if (roles) {
    if (roles.http && config.webBuild) await ensureWebBuild(pino({ level: config.logLevel }));
    const running = await startMailwright(config, roles);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
    await running.close();
    return 0;
  }

  const store = openStore(config.databaseUrl);
  try {
    await migrate(store);
    const accounts = accountsRepo(store, systemClock);
    if (command === "migrate") {
      process.stdout.write("migrations applied\n");
      return 0;
    }
    if (command === "accounts" && sub === "create") {
      const { id } = await accounts.create(flags["name"] ?? "Account");
      process.stdout.write(`${id}\n`);
      return 0;
    }
    if (command === "tokens" && sub === "create") {
      const accountId = Number(flags["account"] ?? "1");
      if (!Number.isSafeInteger(accountId) || !(await accounts.exists(accountId))) {
        process.stderr.write(`--account: no account ${flags["account"] ?? "1"}\n`);
        return 2;
      }
      process.stdout.write(`${await accounts.createToken(accountId, flags["name"] ?? "cli")}\n`);
      return 0;
    }
    process.stderr.write(`Unknown command: ${[command, sub].filter(Boolean).join(" ")}\n\n${USAGE}`);
    return 2;
  } finally {
    await store.close();
  }
}
