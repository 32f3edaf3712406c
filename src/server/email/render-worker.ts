// A render thread (render-pool.ts starts it): renders what the pool posts, one at a time,
// and answers with the parts or the reason it could not. Runs nowhere else.
import { parentPort } from "node:worker_threads";
import { type EmailParts, type RenderLimits, RenderLimitError, renderEmail, unsupportedSyntax } from "./render.ts";

export type RenderRequest =
  | { id: number; kind: "render"; parts: EmailParts; vars: Record<string, unknown>; limits: RenderLimits }
  /** Syntax check of sources by name: answers the problem of each that has one. */
  | { id: number; kind: "check"; sources: Record<string, string> };

export type RenderReply =
  | { id: number; ok: true; result: EmailParts | Record<string, string> }
  | { id: number; ok: false; limit: boolean; message: string }
  | { ready: true };

function check(sources: Record<string, string>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [name, source] of Object.entries(sources)) {
    try {
      const refused = unsupportedSyntax(source);
      if (refused) problems[name] = refused;
    } catch (err) {
      problems[name] = `has invalid Handlebars syntax: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
    }
  }
  return problems;
}

const port = parentPort;
if (port) {
  port.on("message", (req: RenderRequest) => {
    let reply: RenderReply;
    try {
      reply = { id: req.id, ok: true, result: req.kind === "render" ? renderEmail(req.parts, req.vars, req.limits) : check(req.sources) };
    } catch (err) {
      // Handlebars' messages carry the offending source on later lines: the first says what broke.
      reply = {
        id: req.id,
        ok: false,
        limit: err instanceof RenderLimitError,
        message: err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err),
      };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true } satisfies RenderReply);
}
