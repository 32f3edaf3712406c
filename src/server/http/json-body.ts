import sjson from "secure-json-parse";
import { errors } from "../errors.ts";
import { toFieldErrors } from "./validation-errors.ts";

/** Deeper than any body the API defines (a definition's rules are a few levels); a body past it is refused unread. */
export const MAX_JSON_DEPTH = 64;

const fatal = new TextDecoder("utf-8", { fatal: true });
const lossy = new TextDecoder("utf-8");

/** How deep objects and arrays nest in JSON text, stopping once past `max` (strings skipped). */
function depthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/**
 * Whether the text holds an integer literal beyond ±(2^53 − 1), which JSON.parse would round
 * silently (9007199254740993 becomes …992). Only literals written as integers count: `1e20`
 * and `2.5` are floats by the sender's own choice.
 */
function unsafeIntegerLiteral(text: string): number | null {
  const re = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![.\deE])/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0][0] !== '"' && !Number.isSafeInteger(Number(m[0]))) return Number(m[0]);
  }
  return null;
}

/** The JSON-pointer path of the first number equal to `target` (what the literal parsed to). */
function pathOfNumber(value: unknown, target: number): string | null {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: "" }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === "number") {
      if (v === target) return path;
    } else if (v !== null && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) stack.push({ v: child, path: `${path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}` });
    }
  }
  return null;
}

/** The JSON-pointer path of the first string (or object with a key) holding U+FFFD, what a bad byte decodes to. */
function replacementPath(value: unknown): string | null {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: "" }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\ufffd")) return path;
    } else if (v !== null && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) {
        // An offending key: the path of the object holding it (as for unstorable text).
        if (k.includes("\ufffd")) return path;
        stack.push({ v: child, path: `${path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}` });
      }
    }
  }
  return null;
}

const parse = (text: string): unknown => sjson.parse(text, undefined, { protoAction: "error", constructorAction: "error" });

/**
 * A JSON request body: UTF-8 only (a bad byte is a 422 on the attribute holding it, never a
 * silent U+FFFD), no integer JSON.parse would round (a 422 likewise), nested at most MAX_JSON_DEPTH deep (deeper bodies overflowed the stack of
 * whatever walked them recursively), prototype poisoning refused. Empty means no body.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = fatal.decode(body);
  } catch {
    const lossyText = lossy.decode(body);
    let path: string | null = null;
    try {
      path = depthExceeds(lossyText, MAX_JSON_DEPTH) ? null : replacementPath(parse(lossyText));
    } catch {
      // Not JSON either: the encoding is the first problem to report.
    }
    if (path) throw errors.validation(toFieldErrors([{ keyword: "utf8", instancePath: path, params: {} }]));
    throw errors.badRequest("Malformed JSON: the body is not valid UTF-8");
  }
  if (text.trim() === "") return undefined;
  if (depthExceeds(text, MAX_JSON_DEPTH)) throw errors.badRequest(`Malformed JSON: nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw errors.badRequest(`Malformed JSON: ${(err as Error).message}`);
  }
  const unsafe = unsafeIntegerLiteral(text);
  if (unsafe !== null)
    throw errors.validation(toFieldErrors([{ keyword: "unsafe_integer", instancePath: pathOfNumber(value, unsafe) ?? "", params: {} }]));
  return value;
}
