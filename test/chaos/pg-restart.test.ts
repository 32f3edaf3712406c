import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { diagnose, expectedTotals, Fleet, progress, seedWorkload, totals, waitFor } from "./fleet.ts";

const N = 2_000;
const clusters = fs.existsSync("/etc/postgresql") ? fs.readdirSync("/etc/postgresql") : [];
const canRestart = clusters.length > 0 && process.getuid?.() === 0;

/** Restarts the local PostgreSQL cluster (this machine's, as root: CI's case). */
function restartPostgres(): void {
  execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", clusters[0]!, "main", "restart", "-m", "fast"], { stdio: "ignore" });
}

describe.runIf(DIALECTS.includes("postgres") && canRestart)("PostgreSQL restarted under load", () => {
  let t: TestApp | undefined;
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await fleet?.stop();
    await t?.close().catch(() => undefined);
    fleet = t = undefined;
  });

  it(`every one of ${N} runs completes across a database restart`, async () => {
    t = await testApp("postgres", { MAILWRIGHT_TEST_CLOCK: "1" });
    const { acc, automationId, listA } = await seedWorkload(t, N);
    fleet = new Fleet(t.url, { MAILWRIGHT_ENGINE_BATCH: "50" });
    fleet.start(2);
    // Restart once the load is under way, not before and not after.
    await waitFor("the load under way", async () => (await progress(t!, automationId)).waiting > 100, 60_000);
    restartPostgres();
    const tolerant = async () => {
      try {
        return (await progress(t!, automationId)).waiting === N;
      } catch {
        return false; // our own connections die with the server too
      }
    };
    await waitFor("all runs at the delay", tolerant, 120_000, undefined, () => diagnose(t!, fleet!));
    await t.call(acc, "POST", "/api/test-clock/advance", { seconds: 3601 });
    await waitFor(
      "all runs completed",
      async () => (await progress(t!, automationId)).completed === N,
      120_000,
      undefined,
      () => diagnose(t!, fleet!),
    );
    expect(await totals(t, automationId, listA)).toEqual(expectedTotals(N));
  });
});
