import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Store } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import type { Wakeup } from "../db/wakeup.ts";
import type { EmailConfig } from "../../core/flow/schema.ts";
import { bumpCounters } from "../db/counters.ts";
import { type ClaimedMessage, claimDueMessages, nextMessageDue, skipUnreachable } from "../db/claim-messages.ts";
import type { RenderLimits } from "./render.ts";
import type { Renderer } from "./render-pool.ts";
import type { TrackingLinks } from "./tokens.ts";
import { composeMessage, RenderError } from "./compose-message.ts";
import { type Envelope, SendError, type Transport } from "./transport.ts";
import { nextAttemptAt } from "./retry-policy.ts";
import { loadRenderInputs, type Outcome, recordOutcomes, renewLease, stillSubscribed } from "./sender-repo.ts";
import { workLoop } from "../background/work-loop.ts";

export interface SenderOptions {
  batchSize: number;
  /** Messages rendered and in flight at once. */
  concurrency: number;
  /** Lease on claimed messages, renewed every third of it while the batch is in hand. */
  leaseMs: number;
  /** Longest one delivery attempt can take (the transport's timeouts): no send starts unless the lease outlasts it. */
  attemptMs?: number;
  retryWindowMs: number;
  limits: RenderLimits;
  /** Renders each message off the event loop. */
  renderer: Renderer;
  /** Host of the public URL (Message-ID, List-Id). */
  host: string;
  defaultFrom: string;
  idleMs: number;
  /** Jitter source; tests pin it. */
  random?: () => number;
  /** Told how long each delivery attempt took the transport, and how it ended (metrics). */
  onAttempt?: (seconds: number, outcome: Outcome["kind"]) => void;
}

/**
 * The sender loop: skip what may no longer be sent, claim due messages under a lease,
 * render, send with bounded concurrency, commit every outcome fenced by the lease.
 *
 * Delivery guarantee: the sender's own logic never sends a message twice. A message is
 * only sent while this worker holds its lease (real time since the claim is checked before
 * every send, and the lease is far longer than the transport's timeouts), and a committed
 * outcome takes it out of the queue. The one at-least-once window is a crash (or lost
 * database) between the relay's 250 and the commit: the lease then expires and the message
 * is sent again — with the same Message-ID, so receivers can deduplicate.
 */
export function sender(
  store: Store,
  clock: Clock & { refresh?: () => Promise<void> },
  transport: Transport,
  links: TrackingLinks,
  wakeup: Wakeup,
  log: FastifyBaseLogger,
  opts: SenderOptions,
) {
  const random = opts.random ?? Math.random;
  const deps = { links, host: opts.host, defaultFrom: opts.defaultFrom, limits: opts.limits, render: opts.renderer.render };

  async function skipBatch(now: number): Promise<number> {
    return store.db.transaction().execute(async (trx) => {
      const skipped = await skipUnreachable(trx, now);
      await bumpCounters(
        trx,
        skipped.map((s) => ({ ...s, metric: "email:skipped", at: now })),
      );
      return skipped.length;
    });
  }

  /** One message: the composed envelope handed to the transport, the reply classified. */
  async function deliver(envelope: Envelope, msg: ClaimedMessage): Promise<Outcome> {
    const started = performance.now();
    const outcome = await attempt(envelope, msg);
    opts.onAttempt?.((performance.now() - started) / 1000, outcome.kind);
    return outcome;
  }

  async function attempt(envelope: Envelope, msg: ClaimedMessage): Promise<Outcome> {
    try {
      const result = await transport.send({ ...envelope, date: clock.now() });
      if (result.accepted)
        return {
          kind: "sent",
          messageId: envelope.messageId,
          subject: envelope.subject,
          response: result.response.slice(0, 1000),
          ...(result.commit ? { commit: result.commit } : {}),
        };
      return {
        kind: "failed",
        messageId: envelope.messageId,
        subject: envelope.subject,
        error: "recipient rejected",
        response: result.response.slice(0, 1000),
      };
    } catch (err) {
      const e = err instanceof SendError ? err : new SendError(String(err), "transient", null, String(err), false);
      const error = e.code !== null ? `${e.code}: ${e.response}` : `connection: ${e.message}`;
      if (e.kind === "permanent")
        return {
          kind: "failed",
          messageId: envelope.messageId,
          subject: envelope.subject,
          error: error.slice(0, 1000),
          response: e.response,
          unknownUser: e.unknownUser,
        };
      const now = clock.now();
      const at = nextAttemptAt((msg.attempts ?? 0) + 1, msg.first_attempt_at ?? now, now, opts.retryWindowMs, random());
      if (at === null)
        return {
          kind: "failed",
          messageId: envelope.messageId,
          subject: envelope.subject,
          error: `retry window exhausted; last: ${error}`.slice(0, 1000),
          response: e.response,
        };
      return {
        kind: "retry",
        messageId: envelope.messageId,
        subject: envelope.subject,
        at,
        error: error.slice(0, 1000),
        response: e.response,
      };
    }
  }

  /** Claims one batch and carries it to committed outcomes; answers messages handled. */
  async function runBatch(): Promise<number> {
    await clock.refresh?.();
    const skipped = await skipBatch(clock.now());
    const token = randomBytes(12).toString("base64url");
    const claimedAt = clock.now();
    const started = performance.now();
    const batch = await claimDueMessages(store, claimedAt, claimedAt + opts.leaseMs, token, opts.batchSize);
    if (batch.length === 0) return skipped;
    // Renewed while the batch is in hand, so a short lease (a dead sender's messages are
    // taken over soon) never runs out under a live one; `renewed` is real time of the last
    // renewal that committed.
    let renewed = started;
    const renewal = setInterval(
      () => {
        const at = performance.now();
        renewLease(store.db, token, clock.now() + opts.leaseMs).then(
          () => (renewed = at),
          (err: unknown) => log.warn({ err }, "sender could not renew its lease"),
        );
      },
      Math.max(10, Math.floor(opts.leaseMs / 3)),
    );
    const outcomes = new Map<number, Outcome>();
    let fenced: number[];
    try {
      const configs = new Map<number, EmailConfig>(batch.map((m) => [m.id, JSON.parse(m.email) as EmailConfig]));
      const inputs = await loadRenderInputs(store.db, batch, new Map([...configs].map(([id, c]) => [id, c.template_id])));
      // Rendered in parallel: the render threads take them in turn.
      const composed = await Promise.all(
        batch.map(async (msg): Promise<{ msg: ClaimedMessage; envelope: Envelope } | null> => {
          const email = configs.get(msg.id)!;
          if (inputs.suppressed.has(msg.id)) {
            outcomes.set(msg.id, { kind: "skipped", error: "address suppressed" });
            return null;
          }
          const parts =
            email.template_id !== undefined
              ? inputs.templates.get(`${msg.account_id}:${email.template_id}`)
              : { subject: email.subject ?? "", html: email.html ?? "", text: email.text ?? "" };
          try {
            if (!parts) throw new RenderError(`template ${email.template_id} does not exist`);
            const fields = inputs.fields.get(msg.contact_id) ?? {};
            const context = JSON.parse(msg.context) as Parameters<typeof composeMessage>[0]["context"];
            const { envelope } = await composeMessage({ ...msg, email, context }, parts, fields, deps);
            return { msg, envelope };
          } catch (err) {
            if (!(err instanceof RenderError)) throw err;
            outcomes.set(msg.id, { kind: "failed", messageId: null, subject: null, error: `render: ${err.message}`, response: null });
            return null;
          }
        }),
      );
      const ready = composed.filter((c) => c !== null);

      // Read again just before sending: an unsubscribe that committed after the claim still wins.
      const subscribed = await stillSubscribed(store.db, batch);
      let next = 0;
      const worker = async () => {
        while (next < ready.length) {
          const { msg, envelope } = ready[next++]!;
          if (!subscribed.has(msg.contact_id)) outcomes.set(msg.id, { kind: "skipped", error: "contact unsubscribed" });
          // A send starts only while the lease surely outlasts it: past that, another sender could take this message.
          else if (performance.now() - renewed > Math.min(opts.leaseMs / 2, opts.leaseMs - (opts.attemptMs ?? 0)))
            outcomes.set(msg.id, { kind: "released" });
          else outcomes.set(msg.id, await deliver(envelope, msg));
        }
      };
      await Promise.all(Array.from({ length: Math.min(opts.concurrency, ready.length) }, worker));

      fenced = await recordOutcomes(
        store.db,
        token,
        clock.now(),
        batch.map((msg) => ({ msg, outcome: outcomes.get(msg.id) ?? { kind: "released" } })),
      );
    } finally {
      clearInterval(renewal);
    }
    if (fenced.length > 0) log.warn({ messages: fenced }, "sender lost the lease on these messages before committing their outcome");
    // A bounce may have unsubscribed contacts: their trigger events wait for the engine.
    if ([...outcomes.values()].some((o) => o.kind === "failed" && o.unknownUser)) wakeup.signal();
    return skipped + batch.length;
  }

  async function sleep(): Promise<void> {
    const due = await nextMessageDue(store);
    const now = clock.now();
    const until = due === null ? opts.idleMs : due > now ? Math.min(due - now, opts.idleMs) : Math.min(200, opts.idleMs);
    await wakeup.wait(until);
  }

  const loop = workLoop("sender", async () => (await runBatch()) > 0, sleep, wakeup, log);
  return {
    runBatch,
    /** Sends until nothing is due now (tests and benchmarks). */
    async drain(): Promise<void> {
      while ((await runBatch()) > 0);
    },
    start: loop.start,
    /** Finishes the batch in hand (its outcomes commit), then closes the transport. */
    async stop(): Promise<void> {
      await loop.stop();
      await transport.close();
    },
  };
}

export type Sender = ReturnType<typeof sender>;
