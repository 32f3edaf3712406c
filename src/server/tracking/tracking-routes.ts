import type { FastifyInstance, FastifyReply } from "fastify";
import type { TrackingService } from "./tracking-service.ts";
import { confirmPage, donePage, invalidPage, PAGE_HEADERS, PIXEL } from "./pages.ts";

type Params = { Params: { token: string } };

function html(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).headers(PAGE_HEADERS).send(body);
}

/**
 * A signed link as a Location header: the WHATWG serialisation (UTF-8 percent-encoding,
 * punycode hosts, tabs and line breaks dropped), so every byte is ASCII — Node refuses other
 * header bytes (a 500) or sends them as Latin-1 (`café` arriving as `caf%E9`). Null for a
 * link that is not an http(s) URL at all.
 */
function locationOf(signed: string): string | null {
  try {
    const url = new URL(signed);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The public links in every email: no API token, no cookie. Open pixel; click redirect
 * (only to the URL signed into the token: never an open redirect); unsubscribe, where GET
 * and HEAD only show a confirmation page (scanners fetch every link) and POST unsubscribes
 * — a blank 200 to an RFC 8058 one-click POST, a page to a person's form.
 */
export async function trackingRoutes(app: FastifyInstance, tracking: TrackingService): Promise<void> {
  // Unsubscribe POSTs come form-encoded (RFC 8058) or bare; the body's only use is spotting one-click.
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: 4096 }, (_req, body, done) => done(null, body));
  const ua = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);
  const hide = { schema: { hide: true } };

  app.get<Params>("/t/o/:token", hide, async (req, reply) => {
    await tracking.open({ token: req.params.token, method: req.method, userAgent: ua(req.headers["user-agent"]) });
    // The same pixel whatever the token: the answer says nothing about validity.
    return reply
      .code(200)
      .headers({ "content-type": "image/gif", "cache-control": "no-store, max-age=0", "x-content-type-options": "nosniff" })
      .send(PIXEL);
  });

  app.get<Params>("/t/c/:token", hide, async (req, reply) => {
    const signed = await tracking.click({ token: req.params.token, method: req.method, userAgent: ua(req.headers["user-agent"]) });
    const url = signed === null ? null : locationOf(signed);
    if (url === null) return html(reply, 404, invalidPage);
    return reply.code(302).headers({ location: url, "cache-control": "no-store", "referrer-policy": "no-referrer" }).send();
  });

  app.get<Params>("/u/:token", hide, async (req, reply) => {
    const valid = await tracking.isValidUnsubscribe(req.params.token);
    return html(reply, valid ? 200 : 404, valid ? confirmPage : invalidPage);
  });

  app.post<Params>("/u/:token", hide, async (req, reply) => {
    const ok = await tracking.unsubscribe({ token: req.params.token, method: req.method, userAgent: ua(req.headers["user-agent"]) });
    if (!ok) return html(reply, 404, invalidPage);
    const body = typeof req.body === "string" ? req.body : "";
    if (/List-Unsubscribe=One-Click/i.test(body)) return reply.code(200).header("cache-control", "no-store").send("");
    return html(reply, 200, donePage);
  });
}
