import Handlebars from "handlebars";
import { textFromHtml } from "./text-part.ts";

export interface EmailParts {
  subject: string;
  html: string;
  text: string;
}

// An isolated Handlebars: helpers registered elsewhere never leak in. Prototype access
// stays off (the runtime default), so {{constructor.constructor}} renders nothing. `log`
// is off: it would let a template write whatever it likes into the server's log.
const hbs = Handlebars.create();
hbs.unregisterHelper("log");

/**
 * Handlebars is synchronous: a render cannot be interrupted from outside without a thread
 * per render. Every repetition goes through `each` (a block over an array reaches it via
 * blockHelperMissing), so `each` is wrapped to check the wall-clock deadline and the bytes
 * produced at every iteration, and to throw once either is exceeded. Partials and
 * decorators are refused (see `unsupportedSyntax`), so nothing else can loop or recurse.
 * Compiling is not covered (a 100 KB template of `{{a}}` takes Handlebars seconds and
 * hundreds of MB): that, and any bug here, is what the worker pool's hard wall-clock and
 * heap limits are for (render-pool.ts).
 */
export interface RenderLimits {
  /** Largest template source and largest rendered part, in bytes (UTF-16 units). */
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = { maxBytes: 1024 * 1024, timeoutMs: 1000 };

export class RenderLimitError extends Error {}

export const timeLimitMessage = (ms: number) => `render time limit of ${ms} ms exceeded`;

/**
 * Why a template cannot be rendered whatever the data, or null. Partials (`{{> p}}`) and
 * inline partials (`{{#*inline}}`, a decorator) are refused: none are registered, so a
 * template could only call partials it defines itself, and ten nested inline partials of
 * ten calls each render 10^10 characters in under 1 KB with no loop the budget sees.
 * Throws Handlebars' own error when the source does not parse.
 */
export function unsupportedSyntax(source: string): string | null {
  return refusedIn(Handlebars.parse(source));
}

function refusedIn(ast: hbs.AST.Program): string | null {
  let found: string | null = null;
  class Refuse extends Handlebars.Visitor {
    override PartialStatement(): void {
      found ??= "uses a partial ({{> …}}), which templates cannot use";
    }
    override PartialBlockStatement(): void {
      found ??= "uses a partial block ({{#> …}}), which templates cannot use";
    }
    override DecoratorBlock(): void {
      found ??= "uses an inline partial or decorator ({{#* …}}), which templates cannot use";
    }
    override Decorator(): void {
      found ??= "uses a decorator ({{* …}}), which templates cannot use";
    }
  }
  new Refuse().accept(ast);
  return found;
}

// One render runs at a time (synchronous), so a module-level budget is safe.
let budget: { deadline: number; timeoutMs: number; maxBytes: number; produced: number } | null = null;
const originalEach = hbs.helpers["each"] as Handlebars.HelperDelegate;
hbs.registerHelper("each", function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
  const b = budget;
  if (!b) return originalEach.call(this, context, options);
  const inner = options.fn;
  const fn = (ctx: unknown, opts?: Handlebars.RuntimeOptions) => {
    if (performance.now() > b.deadline) throw new RenderLimitError(timeLimitMessage(b.timeoutMs));
    const out = inner(ctx, opts);
    // Nested loops count their output at each level, so the loop budget is a few times the part limit.
    b.produced += out.length;
    if (b.produced > b.maxBytes * 4) throw new RenderLimitError(`rendered output exceeds ${b.maxBytes} bytes`);
    return out;
  };
  return originalEach.call(this, context, { ...options, fn: Object.assign(fn, inner) });
});

const cache = new Map<string, HandlebarsTemplateDelegate>();
// Bounded by source size too: a render runs under a heap limit, which a cache of a thousand
// 1 MB templates would exhaust.
const CACHE_ENTRIES = 1000;
const CACHE_CHARS = 8 * 1024 * 1024;
let cachedChars = 0;

function compiled(source: string, noEscape = false): HandlebarsTemplateDelegate {
  const key = `${noEscape ? "raw" : "html"}:${source}`;
  let t = cache.get(key);
  if (!t) {
    const ast = Handlebars.parse(source);
    const refused = refusedIn(ast);
    if (refused) throw new RenderLimitError(`template ${refused}`);
    t = hbs.compile(ast, { noEscape });
    if (cache.size >= CACHE_ENTRIES || cachedChars + key.length > CACHE_CHARS) {
      cache.clear();
      cachedChars = 0;
    }
    cache.set(key, t);
    cachedChars += key.length;
  }
  return t;
}

/**
 * Renders subject, HTML and text with the contact's variables; HTML values are escaped.
 * Throws RenderLimitError beyond the limits (source size, output size, time) or for
 * refused syntax. Synchronous and only bounded by the checks above: the server calls it in
 * a worker thread (render-pool.ts), never on its event loop.
 */
export function renderEmail(parts: EmailParts, vars: Record<string, unknown>, limits: RenderLimits = DEFAULT_RENDER_LIMITS): EmailParts {
  for (const [name, source] of Object.entries(parts)) {
    if (source.length > limits.maxBytes) throw new RenderLimitError(`template ${name} exceeds ${limits.maxBytes} bytes`);
  }
  const options = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
  budget = { deadline: performance.now() + limits.timeoutMs, timeoutMs: limits.timeoutMs, maxBytes: limits.maxBytes, produced: 0 };
  try {
    const html = parts.html ? compiled(parts.html)(vars, options) : "";
    const text = parts.text ? compiled(parts.text)(vars, options) : textFromHtml(html);
    // A subject is a header: no HTML escaping, and no line breaks.
    const subject = compiled(parts.subject, true)(vars, options).replace(/[\r\n]+/g, " ");
    for (const [name, out] of [
      ["html", html],
      ["text", text],
      ["subject", subject],
    ] as const) {
      if (out.length > limits.maxBytes) throw new RenderLimitError(`rendered ${name} exceeds ${limits.maxBytes} bytes`);
    }
    return { subject, html, text };
  } finally {
    budget = null;
  }
}
