import type { FastifyRequest } from "fastify";
import { errors } from "../errors.ts";
import { toFieldErrors } from "./validation-errors.ts";

// NUL cannot be stored in a PostgreSQL text column (the driver fails: a 500), and an unpaired
// surrogate is not Unicode at all (each database silently replaces it with something else).
// With the `u` flag a surrogate pair is one code point, so only unpaired halves match.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /[\u0000\ud800-\udfff]/u;

export function isUnstorable(s: string): boolean {
  return UNSTORABLE.test(s);
}

/** A node of the walk: its parent and key, so a path is only spelled out for the culprit. */
interface Visit {
  value: unknown;
  parent: Visit | null;
  key: string;
}

function pointer(visit: Visit): string {
  const keys: string[] = [];
  for (let v: Visit | null = visit; v?.parent; v = v.parent) keys.push(v.key.replace(/~/g, "~0").replace(/\//g, "~1"));
  return keys
    .reverse()
    .map((k) => `/${k}`)
    .join("");
}

/**
 * The JSON-pointer path of the first string in a parsed JSON value that holds unstorable
 * text; for an offending key, the path of the object holding it. Iterative, so a deeply
 * nested body cannot overflow the stack; paths are built only for what is found (a 50,000
 * contact import is 300,000 values).
 */
export function findUnstorable(value: unknown): string | null {
  const stack: Visit[] = [{ value, parent: null, key: "" }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === "string") {
      if (isUnstorable(v)) return pointer(visit);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], parent: visit, key: String(i) });
    } else if (v !== null && typeof v === "object") {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        if (isUnstorable(k)) return pointer(visit);
        stack.push({ value: (v as Record<string, unknown>)[k], parent: visit, key: k });
      }
    }
  }
  return null;
}

/**
 * Refuses unstorable text before it reaches validation or the database, the same on both
 * dialects: a path parameter holding it names nothing (404); a query or body value is a 422
 * on the attribute that carries it.
 */
export async function refuseUnstorableText(req: FastifyRequest): Promise<void> {
  if (findUnstorable(req.params) !== null) throw errors.notFound();
  // Only what the route reads: a DELETE's ignored body or a stray query refuses nothing.
  const schema = req.routeOptions.schema;
  for (const source of [schema?.querystring ? req.query : null, schema?.body ? req.body : null]) {
    const path = findUnstorable(source);
    if (path !== null) throw errors.validation(toFieldErrors([{ keyword: "unstorable", instancePath: path, params: {} }]));
  }
}
