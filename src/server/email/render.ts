import Handlebars from "handlebars";

export interface EmailParts {
  subject: string;
  html: string;
  text: string;
}

// An isolated Handlebars: helpers registered elsewhere never leak in. Prototype access
// stays off (the runtime default), so {{constructor.constructor}} renders nothing.
const hbs = Handlebars.create();
const cache = new Map<string, HandlebarsTemplateDelegate>();

function compiled(source: string, noEscape = false): HandlebarsTemplateDelegate {
  const key = `${noEscape ? "raw" : "html"}:${source}`;
  let t = cache.get(key);
  if (!t) {
    t = hbs.compile(source, { noEscape });
    if (cache.size > 1000) cache.clear();
    cache.set(key, t);
  }
  return t;
}

/** A plain-text part for an email that has only HTML. */
export function textFromHtml(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Renders subject, HTML and text with the contact's variables; HTML values are escaped. */
export function renderEmail(parts: EmailParts, vars: Record<string, unknown>): EmailParts {
  const options = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
  const html = parts.html ? compiled(parts.html)(vars, options) : "";
  const text = parts.text ? compiled(parts.text)(vars, options) : textFromHtml(html);
  // A subject is a header: no HTML escaping, and no line breaks.
  const subject = compiled(parts.subject, true)(vars, options).replace(/[\r\n]+/g, " ");
  return { subject, html, text };
}
