import Handlebars from "handlebars";
import { textFromHtml } from "./text-part.ts";

export interface EmailParts {
  subject: string;
  html: string;
  text: string;
}

// An isolated Handlebars: helpers registered elsewhere never leak in. Prototype access
// stays off (the runtime default), so {{constructor.constructor}} renders nothing.
const hbs = Handlebars.create();

/**
 * Handlebars is synchronous: a render cannot be interrupted from outside without a thread
 * per render. Every repetition goes through `each` (a block over an array reaches it via
 * blockHelperMissing), so `each` is wrapped to check the wall-clock deadline and the bytes
 * produced at every iteration, and to throw once either is exceeded. Without partials
 * (none are registered) nothing else can loop or recurse.
 */
export interface RenderLimits {
  /** Largest template source and largest rendered part, in bytes (UTF-16 units). */
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = { maxBytes: 1024 * 1024, timeoutMs: 1000 };

export class RenderLimitError extends Error {}

// One render runs at a time (synchronous), so a module-level budget is safe.
let budget: { deadline: number; maxBytes: number; produced: number } | null = null;
const originalEach = hbs.helpers["each"] as Handlebars.HelperDelegate;
hbs.registerHelper("each", function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
  const b = budget;
  if (!b) return originalEach.call(this, context, options);
  const inner = options.fn;
  const fn = (ctx: unknown, opts?: Handlebars.RuntimeOptions) => {
    if (performance.now() > b.deadline) throw new RenderLimitError("render time limit exceeded");
    const out = inner(ctx, opts);
    // Nested loops count their output at each level, so the loop budget is a few times the part limit.
    b.produced += out.length;
    if (b.produced > b.maxBytes * 4) throw new RenderLimitError(`rendered output exceeds ${b.maxBytes} bytes`);
    return out;
  };
  return originalEach.call(this, context, { ...options, fn: Object.assign(fn, inner) });
});

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

/**
 * Renders subject, HTML and text with the contact's variables; HTML values are escaped.
 * Throws RenderLimitError beyond the limits (source size, output size, time).
 */
export function renderEmail(parts: EmailParts, vars: Record<string, unknown>, limits: RenderLimits = DEFAULT_RENDER_LIMITS): EmailParts {
  for (const [name, source] of Object.entries(parts)) {
    if (source.length > limits.maxBytes) throw new RenderLimitError(`template ${name} exceeds ${limits.maxBytes} bytes`);
  }
  const options = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
  budget = { deadline: performance.now() + limits.timeoutMs, maxBytes: limits.maxBytes, produced: 0 };
  try {
    const html = parts.html ? compiled(parts.html)(vars, options) : "";
    const text = parts.text ? compiled(parts.text)(vars, options) : textFromHtml(html);
    // A subject is a header: no HTML escaping, and no line breaks.
    const subject = compiled(parts.subject, true)(vars, options).replace(/[\r\n]+/g, " ");
    for (const [name, out] of [["html", html], ["text", text], ["subject", subject]] as const) {
      if (out.length > limits.maxBytes) throw new RenderLimitError(`rendered ${name} exceeds ${limits.maxBytes} bytes`);
    }
    return { subject, html, text };
  } finally {
    budget = null;
  }
}
