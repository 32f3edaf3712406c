import fs from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule, { type FormatsPlugin } from "ajv-formats";
import { parse } from "yaml";

/**
 * Mailtrap's own OpenAPI documents, as the contract our responses are checked against.
 * They are OpenAPI 3.0-flavoured (`nullable`, `example`, refs into sibling keys), so each
 * response schema is turned into plain JSON Schema here rather than handed to a generic loader.
 */
export type SpecName = "contacts" | "templates";

// A copy kept in the repository (the shared folder is not beside every clone); a test checks it against ../shared/spec.
export const SPEC_DIR = path.resolve(import.meta.dirname, "../fixtures/mailtrap-spec");
export const SHARED_SPEC_DIR = path.resolve(import.meta.dirname, "../../../shared/spec");
const SPEC_FILES: Record<SpecName, string> = {
  contacts: "mailtrap-contacts.openapi.yml",
  templates: "mailtrap-templates.openapi.yml",
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose
// `default` is the plugin (the plugin function also carries itself as `default`).
const addFormats = (addFormatsModule as unknown as { default: FormatsPlugin }).default;
// strict:false because the spec carries annotations ajv does not know; allErrors so a failure lists everything.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

const specs = new Map<SpecName, JsonObject>();
const compiled = new Map<string, ValidateFunction>();

function load(name: SpecName): JsonObject {
  let doc = specs.get(name);
  if (!doc) {
    doc = parse(fs.readFileSync(path.join(SPEC_DIR, SPEC_FILES[name]), "utf8")) as JsonObject;
    specs.set(name, doc);
  }
  return doc;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Follows a local JSON pointer, including the spec's refs into sibling keys of a schema. */
function resolvePointer(doc: JsonObject, ref: string): Json {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: Json = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isObject(node) || !(key in node)) throw new Error(`unresolvable $ref ${ref} (at "${key}")`);
    node = node[key]!;
  }
  return node;
}

function deref(doc: JsonObject, node: Json, trail: string[] = []): Json {
  if (!isObject(node) || typeof node["$ref"] !== "string") return node;
  const ref = node["$ref"];
  if (trail.includes(ref)) throw new Error(`circular $ref ${[...trail, ref].join(" -> ")}`);
  return deref(doc, resolvePointer(doc, ref), [...trail, ref]);
}

// Keywords that validate; everything else (example, discriminator, description, the spec's
// stray nested schemas such as ContactExportRequest/Filter) is dropped as annotation.
const SCHEMA_MAPS = new Set(["properties", "patternProperties"]);
const SCHEMA_VALUES = new Set(["items", "additionalProperties", "propertyNames", "not", "contains", "if", "then", "else"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const PLAIN = new Set([
  "type",
  "enum",
  "const",
  "required",
  "format",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
]);

/** OpenAPI schema → JSON Schema: refs inlined, `nullable` as a null union, unknown formats dropped. */
function toJsonSchema(doc: JsonObject, node: Json, trail: string[] = []): Json {
  if (isObject(node) && typeof node["$ref"] === "string") {
    const ref = node["$ref"];
    if (trail.includes(ref)) throw new Error(`circular $ref ${[...trail, ref].join(" -> ")}`);
    return toJsonSchema(doc, resolvePointer(doc, ref), [...trail, ref]);
  }
  if (typeof node === "boolean") return node;
  if (!isObject(node)) throw new Error(`not a schema: ${JSON.stringify(node)}`);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(doc, v, trail)]));
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = toJsonSchema(doc, value, trail);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((v) => toJsonSchema(doc, v, trail));
    } else if (key === "format") {
      // Formats such as "timestampMillis" or "uuid or email" are prose, not checks.
      if (typeof value === "string" && ajv.formats[value] !== undefined) out[key] = value;
    } else if (PLAIN.has(key)) {
      out[key] = value;
    }
  }
  if (node["nullable"] !== true) return out;
  const type = out["type"];
  if (typeof type === "string") out["type"] = [type, "null"];
  else if (Array.isArray(type)) out["type"] = type.includes("null") ? type : [...type, "null"];
  else return { anyOf: [out, { type: "null" }] };
  if (Array.isArray(out["enum"]) && !out["enum"].includes(null)) out["enum"] = [...out["enum"], null];
  return out;
}

/** Marks every declared property required, recursively: for bodies whose every field the spec's examples show. */
function requireDeclared(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(requireDeclared);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      SCHEMA_MAPS.has(key) && isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, requireDeclared(v)]))
        : SCHEMA_VALUES.has(key) || SCHEMA_LISTS.has(key)
          ? requireDeclared(value)
          : value;
  }
  if (isObject(out["properties"])) {
    const required = new Set([...(Array.isArray(out["required"]) ? (out["required"] as string[]) : []), ...Object.keys(out["properties"])]);
    out["required"] = [...required];
  }
  return out;
}

/** The operation's declared response for a status, `$ref`s to shared responses followed. */
function declaredResponse(spec: SpecName, method: string, pathTemplate: string, status: number): JsonObject {
  const doc = load(spec);
  const paths = doc["paths"];
  const item = isObject(paths) ? paths[pathTemplate] : undefined;
  if (!isObject(item)) throw new Error(`the ${spec} spec has no path ${pathTemplate}`);
  const operation = item[method.toLowerCase()];
  if (!isObject(operation)) throw new Error(`the ${spec} spec has no ${method.toUpperCase()} ${pathTemplate}`);
  const responses = operation["responses"];
  const declared = isObject(responses) ? responses[String(status)] : undefined;
  const response = declared === undefined ? undefined : deref(doc, declared);
  if (!isObject(response)) throw new Error(`the ${spec} spec declares no ${status} for ${method.toUpperCase()} ${pathTemplate}`);
  return response;
}

export interface SpecCheckOptions {
  /** Also require every property the schema declares (the spec itself marks almost none required). */
  allDeclared?: boolean;
}

function validatorFor(spec: SpecName, method: string, pathTemplate: string, status: number, opts: SpecCheckOptions): ValidateFunction {
  const key = `${spec} ${method.toUpperCase()} ${pathTemplate} ${status} ${opts.allDeclared === true}`;
  let validate = compiled.get(key);
  if (!validate) {
    const response = declaredResponse(spec, method, pathTemplate, status);
    const content = response["content"];
    const media = isObject(content) ? content["application/json"] : undefined;
    const schema = isObject(media) ? media["schema"] : undefined;
    if (schema === undefined)
      throw new Error(`the ${spec} spec declares no JSON schema for ${status} of ${method.toUpperCase()} ${pathTemplate}`);
    const plain = toJsonSchema(load(spec), schema);
    validate = ajv.compile(opts.allDeclared ? (requireDeclared(plain) as object) : (plain as object));
    compiled.set(key, validate);
  }
  return validate;
}

function describe(errs: ErrorObject[] | null | undefined): string {
  return (errs ?? [])
    .map((e) => `  ${e.instancePath || "(body)"} ${e.message ?? ""} (${e.keyword} ${JSON.stringify(e.params)})`)
    .join("\n");
}

/**
 * Throws unless `body` matches the schema the spec declares for this operation and status.
 * A status without a declared JSON schema throws too, so a test cannot pass vacuously.
 */
export function expectMatchesSpec(
  spec: SpecName,
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
  opts: SpecCheckOptions = {},
): void {
  const validate = validatorFor(spec, method, pathTemplate, status, opts);
  if (!validate(body)) {
    throw new Error(
      `${status} body of ${method.toUpperCase()} ${pathTemplate} does not match the ${spec} spec:\n${describe(validate.errors)}\nbody: ${JSON.stringify(body)}`,
    );
  }
}

/** Throws unless the spec declares this status for the operation with no body (a 204). */
export function expectDeclaredEmpty(spec: SpecName, method: string, pathTemplate: string, status: number, body: unknown): void {
  const response = declaredResponse(spec, method, pathTemplate, status);
  if (response["content"] !== undefined)
    throw new Error(`the ${spec} spec declares a body for ${status} of ${method.toUpperCase()} ${pathTemplate}`);
  if (body !== undefined && body !== null && body !== "")
    throw new Error(`${status} of ${method.toUpperCase()} ${pathTemplate} should have no body, got ${JSON.stringify(body)}`);
}

/** The spec's path template a concrete (token- or account-scoped) request path belongs to. */
export function specPathOf(spec: SpecName, method: string, urlPath: string): string {
  const bare = urlPath.split("?")[0]!.replace(/^\/api\/accounts\/[^/]+(?=\/)/, "/api");
  const paths = load(spec)["paths"];
  // Literal segments beat parameters: /api/contacts/lists is not a contact identifier.
  const candidates = Object.keys(isObject(paths) ? paths : {}).filter((template) => {
    const item = isObject(paths) ? paths[template] : undefined;
    if (!isObject(item) || !isObject(item[method.toLowerCase()])) return false;
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
    return new RegExp(`^${pattern}$`).test(bare);
  });
  candidates.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  if (candidates.length === 0) throw new Error(`no ${method.toUpperCase()} operation in the ${spec} spec matches ${urlPath}`);
  return candidates[0]!;
}
