import { afterEach, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { expectedTotals, Fleet, progress, seedWorkload, totals, waitFor } from "./fleet.ts";

const N = 10_000;

describe.runIf(DIALECTS.includes("postgres"))("engine fleet on PostgreSQL", () => {
  let t: TestApp | undefined;
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await fleet?.stop();
    await t?.close();
    fleet = t = undefined;
  });

  it(`4 worker processes carry ${N} runs through [update_field, add_to_lists, delay 1 h, send_email], each step exactly once`, async () => {
    t = await testApp("postgres", { MAILWRIGHT_TEST_CLOCK: "1" });
    const { acc, automationId, listA } = await seedWorkload(t, N);
    fleet = new Fleet(t.url);
    fleet.start(4);
    await waitFor("all runs at the delay", async () => (await progress(t!, automationId)).waiting === N, 180_000);
    await t.call(acc, "POST", "/api/test-clock/advance", { seconds: 3601 });
    await waitFor("all runs completed", async () => (await progress(t!, automationId)).completed === N, 180_000);
    expect(await totals(t, automationId, listA)).toEqual(expectedTotals(N));
    // The report's counters, bumped by 4 processes at once, are exact too.
    const report = (await t.call(acc, "GET", `/api/automations/${automationId}/report`)).json().data;
    expect(report).toMatchObject({ entered: N, active: 0, completed: N, failed: 0, exited: {}, refused: {} });
    expect(
      report.steps.map((s: { step_id: string; entered: number; completed: number; waiting: number }) => [
        s.step_id,
        s.entered,
        s.completed,
        s.waiting,
      ]),
    ).toEqual([
      ["u", N, N, 0],
      ["a", N, N, 0],
      ["d", N, N, 0],
      ["e", N, N, 0],
    ]);
  });

  it(`kill -9 of a random worker every few hundred ms (at least 20 kills): the same totals`, async () => {
    t = await testApp("postgres", { MAILWRIGHT_TEST_CLOCK: "1" });
    const { acc, automationId, listA } = await seedWorkload(t, N);
    fleet = new Fleet(t.url);
    fleet.start(4);
    let kills = 0;
    const chaos = async () => {
      if (kills >= 40) return;
      await fleet!.killAndReplace(Math.floor(Math.random() * 4));
      kills++;
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 200));
    };
    await waitFor("all runs at the delay", async () => (await progress(t!, automationId)).waiting === N, 200_000, chaos);
    await t.call(acc, "POST", "/api/test-clock/advance", { seconds: 3601 });
    await waitFor("all runs completed", async () => (await progress(t!, automationId)).completed === N && kills >= 20, 200_000, chaos);
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(await totals(t, automationId, listA)).toEqual(expectedTotals(N));
  });
});
