import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../helpers/with-database.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";
import { captureTransport } from "../../src/server/email/capture-transport.ts";
import { sender } from "../../src/server/email/sender.ts";
import { renderPool } from "../../src/server/email/render-pool.ts";
import type { Transport } from "../../src/server/email/transport.ts";
import { oneQueuedMessage } from "../engine/engine-helpers.ts";

describe.each(DIALECTS)("the sender's short lease on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(() => t.close());

  it("is renewed while a slow delivery is in hand, so no other sender takes the message, and it is sent once", async () => {
    const msg = { id: await oneQueuedMessage(t, "slow") };

    const capture = captureTransport(t.store, t.services.clock);
    let other = -1;
    const slow: Transport = {
      name: "capture",
      async send(e) {
        // Three leases long: without renewal the message would be free for the taking meanwhile.
        await new Promise((r) => setTimeout(r, 900));
        other = await t.services.sender.runBatch();
        return capture.send(e);
      },
      close: () => capture.close(),
    };
    const renderer = renderPool({ limits: { maxBytes: 1 << 20, timeoutMs: 1000 }, threads: 1, memoryMb: 64 });
    try {
      const own = sender(t.store, t.services.clock, slow, t.services.links, t.services.wakeup, pino({ level: "silent" }), {
        batchSize: 10,
        concurrency: 1,
        leaseMs: 300,
        attemptMs: 100,
        retryWindowMs: 3_600_000,
        limits: { maxBytes: 1 << 20, timeoutMs: 1000 },
        renderer,
        host: "example.com",
        defaultFrom: "from@example.com",
        idleMs: 100,
      });
      await own.runBatch();
    } finally {
      await renderer.close();
    }
    expect(other).toBe(0);
    expect(await t.store.db.selectFrom("outbox_messages").select("id").where("message_row_id", "=", msg!.id).execute()).toHaveLength(1);
    expect(
      await t.store.db.selectFrom("messages").select(["status", "lease_token"]).where("id", "=", msg!.id).executeTakeFirstOrThrow(),
    ).toEqual({ status: "sent", lease_token: null });
  });
});
