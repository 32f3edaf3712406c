import { describe, expect, it } from "vitest";
import { trackingLinks } from "../../src/server/email/tokens.ts";
import { rewriteLinks } from "../../src/server/email/compose-message.ts";
import { headerAtom, messageIdFor } from "../../src/server/email/headers.ts";
import { nextAttemptAt, retryDelayMs } from "../../src/server/email/retry-policy.ts";
import { RenderLimitError, renderEmail } from "../../src/server/email/render.ts";
import { classifySmtpError } from "../../src/server/email/transport.ts";

const links = trackingLinks("k".repeat(40), "https://mail.example.com");

describe("composing", () => {
  it("rewrites web links only: never the unsubscribe link, mailto:, tel: or anchors", () => {
    const unsub = links.unsubscribe(7);
    const html = `<a href="https://a.example/x?y=1&amp;z=2">a</a><a href='http://b.example'>b</a><a href="${unsub}">u</a><a href="mailto:x@y.z">m</a><a href="tel:+1">t</a><a href="#top">h</a>`;
    const out = rewriteLinks(html, 7, links, unsub);
    expect(out.match(/\/t\/c\//g)).toHaveLength(2);
    expect(out).toContain(`href="${unsub}"`);
    expect(out).toContain('href="mailto:x@y.z"');
    expect(out).toContain('href="tel:+1"');
    expect(out).toContain('href="#top"');
    expect(out).toContain(`href="${links.click(7, "https://a.example/x?y=1&z=2")}"`);
  });

  it("derives a Message-ID from (run, step, account), safe for any step id", () => {
    expect(messageIdFor({ run_id: 5, step_id: "s1", account_id: 2 }, "h.example")).toBe("<r5.s1.2@h.example>");
    expect(headerAtom("a b.é")).toBe("a_20b_2e_c3_a9");
  });

  it("stops a render at the time limit", () => {
    const vars = { xs: Array.from({ length: 100 }, (_, i) => i) };
    const loop = "{{#each xs}}{{#each @root.xs}}{{#each @root.xs}}{{#each @root.xs}}.{{/each}}{{/each}}{{/each}}{{/each}}";
    const t0 = performance.now();
    expect(() => renderEmail({ subject: "", html: loop, text: "x" }, vars, { maxBytes: 1e9, timeoutMs: 50 })).toThrow(RenderLimitError);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(() => renderEmail({ subject: "", html: "x".repeat(2000), text: "" }, {}, { maxBytes: 1000, timeoutMs: 50 })).toThrow(
      /exceeds 1000 bytes/,
    );
  });
});

describe("retry policy", () => {
  it("grows 1 min, 5 min, 15 min, 1 h, then 4 h, with ±20% jitter", () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n, 0.5))).toEqual([60_000, 300_000, 900_000, 3_600_000, 14_400_000, 14_400_000]);
    expect(retryDelayMs(1, 0)).toBe(48_000);
    expect(retryDelayMs(1, 1)).toBe(72_000);
  });

  it("stops at the retry window, using its last moment", () => {
    const window = 72 * 3_600_000;
    expect(nextAttemptAt(1, 0, 0, window, 0.5)).toBe(60_000);
    expect(nextAttemptAt(9, 0, window - 1000, window, 0.5)).toBe(window);
    expect(nextAttemptAt(9, 0, window, window, 0.5)).toBeNull();
  });

  it("classifies replies: 4xx and connection errors retry, 5xx fail, 5.1.1 is an unknown user", () => {
    expect(classifySmtpError({ responseCode: 421, response: "421 4.7.0 later" })).toMatchObject({ kind: "transient", code: 421 });
    expect(classifySmtpError({ code: "ECONNECTION", message: "Connection closed" })).toMatchObject({ kind: "transient", code: null });
    expect(classifySmtpError({ responseCode: 554, response: "554 5.7.1 spam" })).toMatchObject({ kind: "permanent", unknownUser: false });
    expect(classifySmtpError({ responseCode: 550, response: "550 5.1.1 user unknown" })).toMatchObject({
      kind: "permanent",
      unknownUser: true,
    });
    expect(classifySmtpError({ responseCode: 535, code: "EAUTH", response: "535 bad auth" })).toMatchObject({ kind: "transient" });
  });
});
