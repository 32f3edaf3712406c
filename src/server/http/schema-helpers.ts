import { type TSchema, Type } from "typebox";

/** A closed object: unknown attributes are refused with a 422 naming them. */
export function Strict<P extends Record<string, TSchema>>(properties: P, options: Record<string, unknown> = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** A free-form JSON object (custom field values keyed by merge tag). */
export const FreeObject = Type.Unsafe<Record<string, unknown>>({ type: "object", additionalProperties: true });

/** Path parameters, typed and documented. */
export function Params<K extends string>(...names: K[]) {
  return Type.Object(Object.fromEntries(names.map((n) => [n, Type.String()])) as Record<K, ReturnType<typeof Type.String>>);
}

// Bounded above too: an id past 2^53 is not exact in JSON, and past 2^63 PostgreSQL's bigint refuses it (a 500).
export const IdList = Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), { maxItems: 1000 });

export const NotFoundBody = Type.Object({ error: Type.String() }, { description: "Not Found" });
export const ValidationBody = Type.Object(
  { errors: Type.Record(Type.String(), Type.Array(Type.String())) },
  { description: "Validation errors per attribute; whole-record errors under `base`." },
);
