import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { captureTransport } from "../../src/server/email/capture-transport.ts";
import { sender } from "../../src/server/email/sender.ts";
import { renderPool } from "../../src/server/email/render-pool.ts";
import type { Transport } from "../../src/server/email/transport.ts";
import { oneQueuedMessage } from "../engine/engine-helpers.ts";

describe.each(DIALECTS)("the capture transport is exactly once on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(() => t.close());

  it("captures nothing for a delivery whose outcome never commits, and the retry captures it once", async () => {
    const msg = { id: await oneQueuedMessage(t, "once") };
    const outbox = () => t.store.db.selectFrom("outbox_messages").select("id").where("message_row_id", "=", msg!.id).execute();

    // The sender loses its lease while the message is in hand (another took it over, as
    // after a pause or a crash): its outcome is fenced off, so nothing of it may remain.
    const capture = captureTransport(t.store, t.services.clock);
    const stolen: Transport = {
      name: "capture",
      async send(e) {
        const result = await capture.send(e);
        await t.store.db.updateTable("messages").set({ lease_token: "another-sender" }).where("id", "=", msg!.id).execute();
        return result;
      },
      close: () => capture.close(),
    };
    const renderer = renderPool({ limits: { maxBytes: 1 << 20, timeoutMs: 1000 }, threads: 1, memoryMb: 64 });
    const opts = {
      batchSize: 10,
      concurrency: 1,
      leaseMs: 60_000,
      retryWindowMs: 3_600_000,
      limits: { maxBytes: 1 << 20, timeoutMs: 1000 },
      renderer,
      host: "example.com",
      defaultFrom: "from@example.com",
      idleMs: 100,
    };
    try {
      const paused = sender(t.store, t.services.clock, stolen, t.services.links, t.services.wakeup, pino({ level: "silent" }), opts);
      expect(await paused.runBatch()).toBeGreaterThan(0);
    } finally {
      await renderer.close();
    }
    expect(await outbox()).toEqual([]);

    // Its lease runs out; the real sender takes the message over and captures it once.
    await t.store.db.updateTable("messages").set({ lease_token: null, lease_until: 0 }).where("id", "=", msg!.id).execute();
    await t.services.sender.drain();
    expect(await outbox()).toHaveLength(1);
    expect(await t.store.db.selectFrom("messages").select("status").where("id", "=", msg!.id).executeTakeFirstOrThrow()).toEqual({
      status: "sent",
    });
  });
});
