import { afterEach, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { expectedTotals, Fleet, progress, seedWorkload, totals, waitFor } from "./fleet.ts";

const N = 10_000;

describe("engine process on SQLite, killed and restarted", () => {
  let t: TestApp | undefined;
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await fleet?.stop();
    await t?.close();
    fleet = t = undefined;
  });

  it(`kill -9 of the single worker, at least 20 times, loses and doubles nothing of ${N} runs`, async () => {
    t = await testApp("sqlite", { MAILWRIGHT_TEST_CLOCK: "1" });
    const { acc, automationId, listA } = await seedWorkload(t, N);
    fleet = new Fleet(t.url);
    fleet.start(1);
    let kills = 0;
    let bornAt = Date.now();
    let lifetime = 500 + Math.random() * 2000;
    // Some kills land during start-up, most mid-batch: both must be harmless.
    const chaos = async () => {
      if (kills >= 25 || Date.now() - bornAt < lifetime) return;
      await fleet!.killAndReplace(0);
      kills++;
      bornAt = Date.now();
      lifetime = 500 + Math.random() * 2000;
    };
    await waitFor("all runs at the delay", async () => (await progress(t!, automationId)).waiting === N, 220_000, chaos);
    await t.call(acc, "POST", "/api/test-clock/advance", { seconds: 3601 });
    await waitFor(
      "all runs completed and 20 kills",
      async () => (await progress(t!, automationId)).completed === N && kills >= 20,
      220_000,
      chaos,
    );
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(await totals(t, automationId, listA)).toEqual(expectedTotals(N));
  });
});
