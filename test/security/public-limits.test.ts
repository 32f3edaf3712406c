import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { connectionCap } from "../../src/server/app/http-server.ts";
import { loadConfig } from "../../src/server/config.ts";
import { type TestApp, testApp } from "../helpers/test-app.ts";

/** A raw connection to the server; `closed` settles when the server ends it, with what it answered. */
function connect(base: string) {
  const { hostname, port } = new URL(base);
  const socket = net.connect(Number(port), hostname);
  let received = "";
  socket.on("data", (d) => (received += d.toString("latin1")));
  const closed = new Promise<{ ms: number; received: string }>((resolve) => {
    const started = performance.now();
    socket.on("close", () => resolve({ ms: performance.now() - started, received }));
    socket.on("error", () => undefined);
  });
  const ready = new Promise<void>((resolve) => socket.on("connect", () => resolve()));
  return { socket, closed, ready, received: () => received };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Limits live in the HTTP layer, the same on every store: SQLite suffices.
describe("limits for the open internet", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("counts every spelling of one token against one rate-limit bucket", async () => {
    t = await testApp("sqlite", { MAILWRIGHT_RATE_LIMIT: "8", MAILWRIGHT_RATE_LIMIT_WINDOW: "60" });
    const a = await t.newAccount();
    const spellings = [
      { authorization: `Bearer ${a.token}` },
      { authorization: `bearer ${a.token}` },
      { authorization: `Bearer  ${a.token} ` },
      { "api-token": a.token },
      { "api-token": ` ${a.token}` },
    ];
    const codes: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (const headers of spellings) codes.push((await t.app.inject({ method: "GET", url: "/api/contacts/lists", headers })).statusCode);
    }
    expect(codes.filter((c) => c === 200)).toHaveLength(8);
    expect(codes.filter((c) => c === 429)).toHaveLength(12);
  });

  it("rate-limits the public links in emails per address", async () => {
    t = await testApp("sqlite", { MAILWRIGHT_RATE_LIMIT: "3", MAILWRIGHT_RATE_LIMIT_WINDOW: "60" });
    // Sign-in and setup have a stricter limit of their own (session-routes.ts).
    for (const [n, [method, url]] of (
      [
        ["POST", "/u/nope"],
        ["GET", "/t/c/nope"],
        ["GET", "/t/o/nope"],
      ] as const
    ).entries()) {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push(
          (
            await t.app.inject({
              method,
              url,
              remoteAddress: `10.0.0.${n + 1}`,
              headers: { "content-type": "application/json" },
              payload: "{}",
            })
          ).statusCode,
        );
      expect(
        codes.map((c) => c === 429),
        url,
      ).toEqual([false, false, false, true, true]);
    }
    expect((await t.app.inject({ method: "GET", url: "/healthz", remoteAddress: "10.0.0.6" })).statusCode).toBe(200);
  });
  it("refuses a large body to the public links and to sign-in from Content-Length, before reading it", async () => {
    t = await testApp("sqlite");
    const base = await t.app.listen({ port: 0, host: "127.0.0.1" });
    for (const [path, type] of [
      ["/u/some-token", "application/x-www-form-urlencoded"],
      ["/u/some-token", "application/json"],
      ["/api/session", "application/json"],
      ["/api/setup", "application/json"],
    ]) {
      const c = connect(base);
      await c.ready;
      // Announces 32 MiB, sends none of it: the answer must not wait for the body.
      c.socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: 33554432\r\n\r\n`);
      const { ms, received } = await c.closed;
      expect(received, path).toMatch(/^HTTP\/1\.1 413 /);
      expect(ms, path).toBeLessThan(1000);
    }
    const small = await t.app.inject({
      method: "POST",
      url: "/u/some-token",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ x: "y".repeat(5000) }),
    });
    expect(small.statusCode).toBe(413);
    expect(small.json().error).toMatch(/4096 bytes/);
  });

  it("closes slowloris, slow-body and silent connections at their timeouts, and keeps serving", async () => {
    t = await testApp("sqlite", {
      MAILWRIGHT_HEADERS_TIMEOUT_MS: "600",
      MAILWRIGHT_REQUEST_TIMEOUT_MS: "1200",
      MAILWRIGHT_IDLE_TIMEOUT_MS: "800",
      MAILWRIGHT_KEEP_ALIVE_TIMEOUT_MS: "300",
    });
    const base = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const silent = connect(base);
    const loris = connect(base);
    const slowBody = connect(base);
    const keepAlive = connect(base);
    await Promise.all([silent.ready, loris.ready, slowBody.ready, keepAlive.ready]);
    const drip = setInterval(() => {
      if (!loris.socket.destroyed) loris.socket.write("X-Drip: 1\r\n");
      if (!slowBody.socket.destroyed) slowBody.socket.write("a");
    }, 100);
    loris.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    slowBody.socket.write("POST /u/t HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 4000\r\n\r\n");
    keepAlive.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    try {
      const [s, l, b, k] = await Promise.all([silent.closed, loris.closed, slowBody.closed, keepAlive.closed]);
      expect(s.ms).toBeLessThan(3000);
      expect(l.ms).toBeLessThan(3000);
      expect(b.ms).toBeLessThan(4000);
      expect(k.received).toMatch(/^HTTP\/1\.1 200 /);
      expect(k.ms).toBeLessThan(3000);
    } finally {
      clearInterval(drip);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("sheds connections beyond the cap instead of failing every request", async () => {
    t = await testApp("sqlite", { MAILWRIGHT_MAX_CONNECTIONS: "20" });
    const base = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const held = Array.from({ length: 20 }, () => connect(base));
    await Promise.all(held.map((c) => c.ready));
    await sleep(100);
    const extra = connect(base);
    await extra.ready;
    expect((await extra.closed).ms).toBeLessThan(1000);
    for (const c of held.slice(0, 5)) c.socket.destroy();
    await sleep(100);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    for (const c of held) c.socket.destroy();
  });

  it("never accepts more connections than the file-descriptor limit leaves room for", () => {
    const config = loadConfig({ MAILWRIGHT_DATABASE_URL: "sqlite::memory:" });
    expect(connectionCap(config, 1024)).toBe(768);
    expect(connectionCap({ maxConnections: 500 }, 1024)).toBe(500);
    expect(connectionCap({ maxConnections: 5000 }, 1024)).toBe(768);
    expect(connectionCap({ maxConnections: 0 }, null)).toBe(10_000);
  });

  it("serves /metrics to loopback clients only, or to the metrics token when one is set", async () => {
    t = await testApp("sqlite");
    expect((await t.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(200);
    const remote = await t.app.inject({ method: "GET", url: "/metrics", remoteAddress: "203.0.113.9" });
    expect(remote.statusCode).toBe(403);
    expect(remote.body).not.toMatch(/mailwright_/);
    await t.close();
    t = await testApp("sqlite", { MAILWRIGHT_METRICS_TOKEN: "metrics-token-0123456789" });
    for (const headers of [{}, { authorization: "Bearer wrong-token-0123456789" }]) {
      const res = await t.app.inject({ method: "GET", url: "/metrics", headers });
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toMatch(/mailwright_/);
    }
    const ok = await t.app.inject({
      method: "GET",
      url: "/metrics",
      remoteAddress: "203.0.113.9",
      headers: { authorization: "Bearer metrics-token-0123456789" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatch(/mailwright_messages/);
  });
});
