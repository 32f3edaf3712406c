import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { describeMachine } from "./lib/machine.ts";
import type { Metric, Scenario } from "./lib/scenario.ts";
import { type ServerOptions, type ServerProcess, startServer } from "./lib/server-process.ts";
import { fmt, summarize, type Summary } from "./lib/stats.ts";
import { summaryRows, summaryTable } from "./lib/summary.ts";
import { DEFAULT_PG_ADMIN_URL, freshStore, STORE_KINDS, type StoreKind } from "./lib/stores.ts";
import { SCENARIOS } from "./scenarios/index.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));

const USAGE = `Usage: npm run bench -- <scenario…|all> [options]

Scenarios:
${SCENARIOS.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join("\n")}

Options:
  --quick              smaller inputs, for a smoke run
  --store KIND         sqlite, postgres or all (all)
  --runs N             fresh-process runs per scenario and store (3)
  --pg-url URL         PostgreSQL database used to CREATE/DROP the per-run databases
                       (${DEFAULT_PG_ADMIN_URL})
  --cpu-prof           write a V8 CPU profile of each server child to bench/results/profiles/
`;

interface Result {
  scenario: string;
  store: StoreKind;
  runs: Metric[][];
  summary: Summary[];
  /** Why the runs stopped early; the runs that finished are still reported. */
  error?: string;
}

interface RunOptions {
  pgUrl: string;
  quick: boolean;
  /** Where the child writes its CPU profile, or null for none. */
  profileDir: string | null;
  /** Filled with each store's engine version the first time it is seen. */
  versions: Record<string, string>;
  label: string;
}

/** One run: a fresh database, a fresh server process, the scenario, then both thrown away. */
async function runOnce(scenario: Scenario, kind: StoreKind, opts: RunOptions): Promise<Metric[]> {
  const fresh = await freshStore(kind, opts.pgUrl);
  try {
    opts.versions[kind] ??= await fresh.version();
    const nodeArgs = (role: string) =>
      opts.profileDir
        ? [
            "--cpu-prof",
            `--cpu-prof-dir=${opts.profileDir}`,
            `--cpu-prof-name=${scenario.name}-${kind}-${opts.label}-${role}-${Date.now()}.cpuprofile`,
          ]
        : [];
    const env = scenario.env ?? {};
    const server = await startServer(fresh, { nodeArgs: nodeArgs("start"), env });
    const others: ServerProcess[] = [];
    try {
      const spawnChild = async (o: Pick<ServerOptions, "role" | "env">) => {
        const child = await startServer(fresh, { nodeArgs: nodeArgs(o.role ?? "start"), role: o.role, env: { ...env, ...o.env } });
        others.push(child);
        return child;
      };
      return await scenario.run({ server, quick: opts.quick, store: fresh, spawn: spawnChild });
    } finally {
      for (const o of others) await o.stop();
      await server.stop();
    }
  } finally {
    await fresh.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: "boolean", default: false },
      store: { type: "string", default: "all" },
      runs: { type: "string", default: "3" },
      "pg-url": { type: "string", default: DEFAULT_PG_ADMIN_URL },
      "cpu-prof": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const scenarios: Scenario[] = [];
  for (const name of positionals) {
    if (name === "all") scenarios.push(...SCENARIOS);
    else {
      const s = SCENARIOS.find((x) => x.name === name);
      if (!s) {
        process.stderr.write(`unknown scenario "${name}"\n\n${USAGE}`);
        return 2;
      }
      scenarios.push(s);
    }
  }
  const store = values.store;
  if (store !== "all" && !STORE_KINDS.includes(store as StoreKind)) {
    process.stderr.write(`--store must be sqlite, postgres or all, got "${store}"\n`);
    return 2;
  }
  const stores = store === "all" ? STORE_KINDS : [store as StoreKind];
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`--runs must be a positive integer\n`);
    return 2;
  }
  const pgUrl = values["pg-url"];
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const resultsDir = path.join(HERE, "results");
  const profileDir = path.join(resultsDir, "profiles", stamp);
  if (values["cpu-prof"]) await mkdir(profileDir, { recursive: true });

  const results: Result[] = [];
  const versions: Record<string, string> = {};
  for (const scenario of scenarios) {
    for (const kind of stores) {
      const result: Result = { scenario: scenario.name, store: kind, runs: [], summary: [] };
      try {
        for (let i = 1; i <= runs; i++) {
          const metrics = await runOnce(scenario, kind, {
            pgUrl,
            quick: values.quick,
            profileDir: values["cpu-prof"] ? profileDir : null,
            versions,
            label: `${i}`,
          });
          result.runs.push(metrics);
          process.stderr.write(
            `${scenario.name} ${kind} run ${i}/${runs}: ${metrics.map((m) => `${m.name} ${fmt(m.value)}`).join(", ")}\n`,
          );
        }
      } catch (err) {
        // One store failing (e.g. PostgreSQL restarted under us) must not discard the other's figures.
        result.error = err instanceof Error ? err.message : String(err);
        process.stderr.write(`${scenario.name} ${kind} failed: ${result.error}\n`);
      }
      result.summary = summarize(result.runs);
      results.push(result);
    }
  }

  const summary = summaryRows(results, stores);
  process.stdout.write(
    `\nMedian of up to ${runs} run(s), each in a fresh server process on a fresh database; ratio = the figure's median / the peer's or ceiling's:\n\n`,
  );
  process.stdout.write(`${summaryTable(summary, stores)}\n`);

  const machine = await describeMachine(versions);
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${stamp}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ startedAt: stamp, argv, quick: values.quick, runsPerScenario: runs, machine, results, summary }, null, 2)}\n`,
  );
  process.stdout.write(`\nResults written to ${path.relative(process.cwd(), file)}\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
