import pg from "pg";
import type { FastifyBaseLogger } from "fastify";
import { WAKE_CHANNEL } from "./migrations/0003-notify.ts";

/** Wakes sleeping loops: in memory, and from PostgreSQL's NOTIFY when listening. */
export class Wakeup {
  private waiters: (() => void)[] = [];
  private pending = false;
  private client: pg.Client | null = null;
  private closed = false;

  /** Wakes every waiter now (or the next one to wait). */
  signal(): void {
    const waiters = this.waiters;
    this.waiters = [];
    if (waiters.length === 0) this.pending = true;
    for (const w of waiters) w();
  }

  /** Resolves after `ms`, or sooner on a signal. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      }, ms);
      this.waiters.push(done);
    });
  }

  /** LISTENs on PostgreSQL, reconnecting after a server restart; signals on every NOTIFY. */
  async listen(url: string, log: FastifyBaseLogger): Promise<void> {
    let retrying = false;
    const retry = () => {
      if (this.closed || retrying) return;
      retrying = true;
      this.client = null;
      setTimeout(() => {
        retrying = false;
        void connect();
      }, 500);
    };
    const connect = async (): Promise<void> => {
      if (this.closed) return;
      const client = new pg.Client({ connectionString: url });
      client.on("notification", () => this.signal());
      client.on("error", () => undefined);
      client.on("end", () => {
        if (!this.closed) log.warn("wake listener lost its connection; reconnecting");
        retry();
      });
      try {
        await client.connect();
        await client.query(`listen ${WAKE_CHANNEL}`);
        this.client = client;
        this.signal(); // anything that happened while deaf
      } catch {
        await client.end().catch(() => undefined);
        retry();
      }
    };
    await connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.signal();
    await this.client?.end().catch(() => undefined);
  }
}
