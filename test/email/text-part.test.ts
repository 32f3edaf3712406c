import { describe, expect, it } from "vitest";
import nodemailer from "nodemailer";
import { simpleParser } from "mailparser";
import { trackingLinks } from "../../src/server/email/tokens.ts";
import { composeMessage, type MessageToCompose } from "../../src/server/email/compose-message.ts";
import { DEFAULT_RENDER_LIMITS, type EmailParts, renderEmail } from "../../src/server/email/render.ts";
import { mailOptions } from "../../src/server/email/transport.ts";

const links = trackingLinks("k".repeat(40), "https://mail.example.com");
const deps = {
  links,
  host: "mail.example.com",
  defaultFrom: "news@example.com",
  limits: DEFAULT_RENDER_LIMITS,
  render: async (p: EmailParts, v: Record<string, unknown>) => renderEmail(p, v),
};
const message: MessageToCompose = {
  id: 7,
  run_id: 3,
  automation_id: 2,
  step_id: "s1",
  account_id: 1,
  to_email: "bob@example.com",
  email: { subject: "Hi" },
  context: {},
};

/** The text part a mail client shows, read back from the MIME the transports send. */
async function textPartOf(parts: EmailParts, email: MessageToCompose["email"] = message.email): Promise<string> {
  const { envelope } = await composeMessage({ ...message, email }, parts, { first_name: "Bob" }, deps);
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "\r\n" });
  const info = await composer.sendMail(mailOptions(envelope));
  const parsed = await simpleParser(info.message as Buffer);
  return parsed.text ?? "";
}

describe("the plain-text part", () => {
  const html = `<html><body><h1>Welcome {{first_name}}</h1><p><a href="https://docs.example.com/start?a=1&amp;b=2">Read the docs</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>`;

  it("keeps every link's URL beside its text, the unsubscribe link included", async () => {
    const text = await textPartOf({ subject: "Hi", html, text: "" });
    expect(text).toContain("Read the docs [https://docs.example.com/start?a=1&b=2]");
    expect(text).toContain(`Unsubscribe [${links.unsubscribe(7)}]`);
    expect(text).toContain("Welcome Bob");
  });

  it("shows the destination, not the click-tracking redirect", async () => {
    const text = await textPartOf({ subject: "Hi", html, text: "" });
    expect(text).not.toContain("/t/c/");
  });

  it("always carries the unsubscribe URL, even when the author's text part leaves it out", async () => {
    const text = await textPartOf({ subject: "Hi", html, text: "Hello {{first_name}}, see https://docs.example.com" });
    expect(text).toContain("Hello Bob, see https://docs.example.com");
    expect(text).toContain(links.unsubscribe(7));
  });

  it("does not repeat the unsubscribe URL when the author's text part has it", async () => {
    const text = await textPartOf({ subject: "Hi", html, text: "Bye: {{unsubscribe_url}}" });
    expect(text.split(links.unsubscribe(7))).toHaveLength(2);
  });

  it("leaves out the hidden preheader and styles", async () => {
    const styled = `<html><head><style>p { color: red }</style></head><body><p>Body</p></body></html>`;
    const text = await textPartOf({ subject: "Hi", html: styled, text: "" }, { subject: "Hi", preheader: "Peek" });
    expect(text).not.toContain("color");
    expect(text).not.toContain("Peek");
    expect(text).toContain("Body");
  });
});
