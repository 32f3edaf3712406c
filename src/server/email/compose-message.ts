import juice from "juice";
import type { EmailConfig } from "../../core/flow/schema.ts";
import { type EmailParts, type RenderLimits, RenderLimitError } from "./render.ts";
import { type Renderer, RenderUnavailableError } from "./render-pool.ts";
import type { TrackingLinks } from "./tokens.ts";
import { listHeaders, type MessageKey, messageIdFor } from "./headers.ts";
import type { Envelope } from "./transport.ts";

/** A message that cannot be rendered: retrying would fail the same way, so it fails at once. */
export class RenderError extends Error {}

/** A `messages` row as the composer needs it, JSON columns parsed. */
export interface MessageToCompose extends MessageKey {
  to_email: string;
  email: EmailConfig;
  context: { event?: { name?: string; params?: Record<string, unknown> } };
}

export interface ComposeDeps {
  links: TrackingLinks;
  /** Host of the public URL: Message-ID and List-Id domain. */
  host: string;
  defaultFrom: string;
  limits: RenderLimits;
  /** Renders off the event loop (render-pool.ts). */
  render: Renderer["render"];
}

export interface Composed {
  envelope: Envelope;
}

// Characters Handlebars escapes in values, plus the numeric forms: an href rendered from a
// merge value reaches us entity-encoded, and must be decoded before it is signed.
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Points every http(s) link at the signed click redirect for this message. The unsubscribe
 * link stays direct (a redirect in front of it would only delay the reader and count a
 * "click" on leaving); mailto:, tel: and anchors are not web links and stay as they are.
 */
export function rewriteLinks(html: string, messageRowId: number, links: TrackingLinks, unsubscribeUrl: string): string {
  return html.replace(/(<a\b[^>]*?\shref\s*=\s*)(["'])(.*?)\2/gis, (whole, before: string, quote: string, raw: string) => {
    const url = decodeEntities(raw).trim();
    if (!/^https?:\/\//i.test(url) || url === unsubscribeUrl) return whole;
    return `${before}${quote}${escapeAttr(links.click(messageRowId, url))}${quote}`;
  });
}

/** Inserts `fragment` right after `<body …>`, or first when there is no body tag. */
function afterBodyOpen(html: string, fragment: string): string {
  const m = /<body\b[^>]*>/i.exec(html);
  return m ? html.slice(0, m.index + m[0].length) + fragment + html.slice(m.index + m[0].length) : fragment + html;
}

/** Inserts `fragment` right before `</body>`, or last. */
function beforeBodyClose(html: string, fragment: string): string {
  const i = html.search(/<\/body\s*>/i);
  return i < 0 ? html + fragment : html.slice(0, i) + fragment + html.slice(i);
}

// Hidden in every client we know of, yet shown by inboxes as the preview line.
const PREHEADER_STYLE =
  "display:none;font-size:1px;color:transparent;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all";

/** The unsubscribe URL on a line of its own at the end, unless the text already has it. */
function withUnsubscribe(text: string, unsubscribeUrl: string): string {
  if (text.includes(unsubscribeUrl)) return text;
  return `${text.trimEnd()}\n\nUnsubscribe: ${unsubscribeUrl}`;
}

/**
 * What every message gets after Handlebars, a test send included: CSS inlined with juice,
 * the preheader as a hidden first element, and the unsubscribe URL always in the text part
 * (the part a text-only reader or a screen reader has; derived from the HTML before click
 * tracking, so it shows the destinations).
 */
export function finishParts(rendered: EmailParts, opts: { preheader?: string; unsubscribeUrl: string }): EmailParts {
  let html = rendered.html;
  if (html) {
    // juice parses the whole document; most emails without a <style> block need none of it.
    if (/<style\b|<link\b/i.test(html)) html = juice(html);
    if (opts.preheader) html = afterBodyOpen(html, `<div style="${PREHEADER_STYLE}">${opts.preheader}</div>`);
  }
  return { subject: rendered.subject, html, text: withUnsubscribe(rendered.text, opts.unsubscribeUrl) };
}

/**
 * The render pipeline of one message: Handlebars (escaped values, limits), `finishParts`,
 * tracking (open pixel, click redirects) unless turned off for the email, and the headers
 * that identify it. Throws RenderError.
 */
export async function composeMessage(
  m: MessageToCompose,
  parts: EmailParts,
  fields: Record<string, unknown>,
  deps: ComposeDeps,
): Promise<Composed> {
  const unsubscribeUrl = deps.links.unsubscribe(m.id);
  const event = { name: m.context.event?.name ?? "", params: m.context.event?.params ?? {} };
  const vars = { ...fields, email: m.to_email, event, unsubscribe_url: unsubscribeUrl };
  let rendered: EmailParts;
  let preheader = "";
  try {
    rendered = await deps.render(parts, vars);
    if (m.email.preheader) preheader = (await deps.render({ subject: "", html: m.email.preheader, text: " " }, vars)).html;
  } catch (err) {
    if (err instanceof RenderUnavailableError) throw err;
    const why =
      err instanceof RenderLimitError ? err.message : `template error: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
    throw new RenderError(why);
  }

  const finished = finishParts(rendered, { preheader, unsubscribeUrl });
  let html = finished.html;
  if (html) {
    if (m.email.track_clicks !== false) html = rewriteLinks(html, m.id, deps.links, unsubscribeUrl);
    if (m.email.track_opens !== false) {
      html = beforeBodyClose(
        html,
        `<img src="${escapeAttr(deps.links.open(m.id))}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />`,
      );
    }
    if (html.length > deps.limits.maxBytes) throw new RenderError(`rendered html exceeds ${deps.limits.maxBytes} bytes`);
  }

  const fromName = m.email.from_name?.replace(/[\r\n]+/g, " ");
  return {
    envelope: {
      accountId: m.account_id,
      messageRowId: m.id,
      messageId: messageIdFor(m, deps.host),
      from: { address: m.email.from_email ?? deps.defaultFrom, ...(fromName ? { name: fromName } : {}) },
      to: m.to_email,
      ...(m.email.reply_to ? { replyTo: m.email.reply_to } : {}),
      subject: finished.subject,
      html,
      text: finished.text,
      headers: listHeaders(m, deps.host, deps.links),
    },
  };
}
