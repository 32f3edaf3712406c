import type { Store } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { type TokenPayload, verifyToken } from "../email/tokens.ts";
import { readContacts, withContactRaces } from "../contacts/contact-writer.ts";
import { looksAutomated } from "./bot-detection.ts";
import { insertMessageEvent, messageOf, stampFirst } from "./tracking-repo.ts";
import { bumpCounters } from "../db/counters.ts";
import type { CounterName } from "../../core/engine/counter-names.ts";

export interface Hit {
  token: string;
  method: string;
  userAgent: string | undefined;
}

// Stored as text, bounded: a hostile client cannot fill the database through a header.
const MAX_UA = 512;
const MAX_URL = 2048;

/**
 * What the public links do. Every token is verified first; a forged, truncated or altered
 * token finds nothing, records nothing and changes nothing.
 */
export function trackingService(store: Store, clock: Clock, secret: string, opts: { onChange?: () => void } = {}) {
  const { db } = store;

  function verified(token: string, kind: TokenPayload["k"]): TokenPayload | null {
    const p = verifyToken(secret, token);
    return p && p.k === kind ? p : null;
  }

  /** Records an open or click; the first human one also stamps the message for unique rates. */
  async function record(hit: Hit, payload: TokenPayload, kind: "open" | "click"): Promise<boolean> {
    const msg = await messageOf(db, payload.m);
    if (!msg) return false;
    const now = clock.now();
    const bot = looksAutomated({ userAgent: hit.userAgent, method: hit.method, at: now, sentAt: msg.sent_at });
    await db.transaction().execute(async (trx) => {
      await insertMessageEvent(trx, {
        account_id: msg.account_id,
        message_row_id: msg.id,
        kind,
        url: payload.k === "c" ? payload.u.slice(0, MAX_URL) : null,
        user_agent: hit.userAgent ? hit.userAgent.slice(0, MAX_UA) : null,
        bot: bot ? 1 : 0,
        created_at: now,
      });
      const bump = (metric: CounterName) => ({
        account_id: msg.account_id,
        automation_id: msg.automation_id,
        step_id: msg.step_id,
        metric,
        at: now,
      });
      const bumps = [bump(kind === "open" ? "email:opens" : "email:clicks")];
      if (!bot) {
        // A click is also an open: the reader saw the email. Each counts once per message.
        if (await stampFirst(trx, msg.id, "opened_at", now)) bumps.push(bump("email:unique_opens"));
        if (kind === "click" && (await stampFirst(trx, msg.id, "clicked_at", now))) bumps.push(bump("email:unique_clicks"));
      }
      await bumpCounters(trx, bumps);
    });
    return true;
  }

  return {
    async open(hit: Hit): Promise<void> {
      const p = verified(hit.token, "o");
      if (p) await record(hit, p, "open");
    },

    /** The URL to redirect to: only ever the one signed into this message's token. */
    async click(hit: Hit): Promise<string | null> {
      const p = verified(hit.token, "c");
      if (!p || p.k !== "c") return null;
      return (await record(hit, p, "click")) ? p.u : null;
    },

    /** Whether the token names a message (for the GET confirm page). */
    async isValidUnsubscribe(token: string): Promise<boolean> {
      const p = verified(token, "u");
      return p !== null && (await messageOf(db, p.m)) !== undefined;
    },

    /** Unsubscribes the message's contact; idempotent; false for an invalid token. */
    async unsubscribe(hit: Hit): Promise<boolean> {
      const p = verified(hit.token, "u");
      if (!p) return false;
      const msg = await messageOf(db, p.m);
      if (!msg) return false;
      // Two clicks at once: the second's write finds the version it read gone and computes
      // again, finding the contact unsubscribed: one unsubscribe, counted once.
      await withContactRaces(() =>
        db.transaction().execute(async (trx) => {
          const now = clock.now();
          const batch = await readContacts(trx, msg.account_id, { ids: [msg.contact_id] });
          if (!batch.change(msg.contact_id, { unsubscribed: true })?.rowChanged) return;
          await batch.persist(now);
          // Recorded once, by the message whose link did it: repeats change and count nothing.
          await insertMessageEvent(trx, {
            account_id: msg.account_id,
            message_row_id: msg.id,
            kind: "unsubscribe",
            url: null,
            user_agent: hit.userAgent ? hit.userAgent.slice(0, MAX_UA) : null,
            bot: 0,
            created_at: now,
          });
          await bumpCounters(trx, [
            { account_id: msg.account_id, automation_id: msg.automation_id, step_id: msg.step_id, metric: "email:unsubscribes", at: now },
          ]);
        }),
      );
      opts.onChange?.();
      return true;
    },
  };
}

export type TrackingService = ReturnType<typeof trackingService>;
