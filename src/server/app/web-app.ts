import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errors } from "../errors.ts";
import { WEB_DIST } from "../package-root.ts";

/**
 * The app's own pages load only its own scripts and styles. Inline styles are allowed for
 * React's style attributes; `about:` frames and data: images are the Outbox's sandboxed
 * srcdoc preview of an email (which inherits this policy, so its remote images stay unloaded).
 */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "frame-src 'self' about:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const HTML_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

/** Paths the app never claims: unknown ones there keep the API's JSON 404. */
const NOT_APP = /^\/(?:api|t|u|healthz|readyz|metrics)(?:\/|$)/;

/**
 * Whether a request is a page navigation the app should answer: a browser asks for
 * text/html; a client asking for anything gets the page only for a path with no file
 * extension, so a missing script or image stays a 404 instead of HTML in its place.
 */
function wantsPage(req: FastifyRequest): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const pathname = req.url.split("?")[0]!;
  if (NOT_APP.test(pathname)) return false;
  const accept = req.headers.accept ?? "*/*";
  if (accept.includes("text/html")) return true;
  return accept.includes("*/*") && !/\.[^/]*$/.test(pathname);
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mailwright</title></head>
<body><h1>The web app is not built</h1>
<p>Run <code>npm run build</code> (or start with <code>npm start</code>, which builds it), then reload. The API works meanwhile.</p></body></html>
`;

export interface WebAppOptions {
  /** The built app (Vite's output); default web/dist of the package. */
  distDir?: string;
}

/**
 * Serves the built web app at `/` with history fallback: any page navigation outside the
 * API's paths gets index.html and the client router takes over. Without a build, pages say
 * how to make one. Registers the app's not-found handler, which keeps JSON 404s elsewhere.
 */
export async function registerWebApp(app: FastifyInstance, opts: WebAppOptions = {}): Promise<void> {
  const distDir = opts.distDir ?? WEB_DIST;
  const built = fs.existsSync(path.join(distDir, "index.html"));
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      // One route per built file, read at start: no catch-all route, so every other path
      // (unknown API paths included) reaches the not-found handler below unchanged.
      wildcard: false,
      // web/dist holds a .br and a .gz of each text file (web/vite.config.ts): sent as they
      // are to a client that accepts them, with Vary: Accept-Encoding.
      preCompressed: true,
      // The compressed files are only ever sent for their original's path.
      allowedPath: (pathName) => !/\.(br|gz)$/.test(pathName),
      dotfiles: "ignore",
      setHeaders(reply, sent) {
        // `sent` is the file on disk: index.html.br stands for index.html.
        const file = sent.replace(/\.(br|gz)$/, "");
        reply.header("x-content-type-options", "nosniff");
        if (file.endsWith(".html")) {
          for (const [name, value] of Object.entries(HTML_HEADERS)) reply.header(name, value);
          // Revalidated every time, so a new build is picked up at once.
          reply.header("cache-control", "no-cache");
        } else if (path.relative(distDir, file).startsWith(`assets${path.sep}`)) {
          // Vite names assets by content hash: a changed file is a new name.
          reply.header("cache-control", "public, max-age=31536000, immutable");
        }
      },
    });
  }

  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    if (!wantsPage(req)) return reply.code(404).send(errors.notFound().body);
    if (built) return reply.sendFile("index.html");
    return reply.code(200).headers(HTML_HEADERS).type("text/html; charset=utf-8").send(NOT_BUILT);
  });
}
