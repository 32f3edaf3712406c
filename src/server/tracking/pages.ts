/**
 * The few HTML pages served to the public. They are static: nothing a visitor, a token or
 * a tracking hit carries (user agent, URL, address) is ever written into them.
 */
const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}button{font-size:1rem;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #3b4cca;background:#3b4cca;color:#fff;cursor:pointer}";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>${STYLE}</style></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

/** GET/HEAD: asks; changes nothing (link scanners fetch every URL in a message). */
export const confirmPage = page(
  "Unsubscribe",
  `<p>Do you want to stop receiving these emails?</p><form method="post"><button type="submit">Unsubscribe</button></form>`,
);

export const donePage = page("You are unsubscribed", "<p>You will not receive these emails any more.</p>");

export const invalidPage = page("Link not valid", "<p>This link is not valid. It may have been copied incompletely.</p>");

/** Headers for every public page: no scripts, no framing, no referrer, no sniffing. */
export const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "x-robots-tag": "noindex",
} as const;

/** The smallest transparent GIF. */
export const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
