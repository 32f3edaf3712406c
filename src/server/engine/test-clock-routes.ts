import { setTimeout as sleep } from "node:timers/promises";
import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { Strict } from "../http/schema-helpers.ts";
import type { TestClock } from "./test-clock.ts";

const Now = Type.Object({ data: Type.Object({ now: Type.String({ format: "date-time" }) }) });
const Count = Type.Integer({ minimum: 0 });
const Advanced = Type.Object({
  data: Type.Object({
    now: Type.String({ format: "date-time" }),
    /** The account's work due at `now` still undone when the answer left: all zero means settled. */
    due: Type.Object({ events: Count, runs: Count, messages: Count }),
    settled: Type.Boolean(),
  }),
});

const POLL_MS = 50;

/** Only registered when MAILWRIGHT_TEST_CLOCK=1; otherwise these paths are 404s. */
export function testClockRoutes(app: ApiApp, clock: TestClock, wake: () => void): void {
  const tags = ["Test clock"];
  app.get("/test-clock", { schema: { tags, response: { 200: Now } } }, async () => {
    await clock.refresh();
    return { data: { now: new Date(clock.now()).toISOString() } };
  });
  app.post(
    "/test-clock/advance",
    {
      schema: {
        tags,
        description:
          "Moves the shared clock forward and wakes the engine. With `wait_seconds`, answers once the account's work due at the new instant (trigger events, runs, emails) is done, or when that time is up; `due` says what is still undone either way.",
        body: Strict({
          seconds: Type.Number({ exclusiveMinimum: 0, maximum: 10 * 365 * 86_400 }),
          wait_seconds: Type.Optional(Type.Number({ minimum: 0, maximum: 30 })),
        }),
        response: { 200: Advanced },
      },
    },
    async (req) => {
      const now = await clock.advance(req.body.seconds);
      wake();
      const deadline = performance.now() + (req.body.wait_seconds ?? 0) * 1000;
      let due = await clock.due(req.accountId, now);
      while (due.events + due.runs + due.messages > 0 && performance.now() < deadline) {
        await sleep(POLL_MS);
        due = await clock.due(req.accountId, now);
      }
      return { data: { now: new Date(now).toISOString(), due, settled: due.events + due.runs + due.messages === 0 } };
    },
  );
}
