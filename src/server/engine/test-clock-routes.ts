import { Type } from "typebox";
import type { ApiApp } from "../http/api-app.ts";
import { Strict } from "../http/schema-helpers.ts";
import type { TestClock } from "./test-clock.ts";

const Now = Type.Object({ data: Type.Object({ now: Type.String({ format: "date-time" }) }) });

/** Only registered when MAILWRIGHT_TEST_CLOCK=1; otherwise these paths are 404s. */
export function testClockRoutes(app: ApiApp, clock: TestClock, wake: () => void): void {
  const tags = ["Test clock"];
  app.get("/test-clock", { schema: { tags, response: { 200: Now } } }, async () => {
    await clock.refresh();
    return { data: { now: new Date(clock.now()).toISOString() } };
  });
  app.post(
    "/test-clock/advance",
    { schema: { tags, body: Strict({ seconds: Type.Number({ exclusiveMinimum: 0, maximum: 10 * 365 * 86_400 }) }), response: { 200: Now } } },
    async (req) => {
      const now = await clock.advance(req.body.seconds);
      wake();
      return { data: { now: new Date(now).toISOString() } };
    },
  );
}
