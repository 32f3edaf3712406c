import { type FieldErrors, messagesOf } from "../errors.ts";

/** The parts of an Ajv error that this mapping reads. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Bodies that wrap their attributes in one object (`{"contact": {...}}`): errors name the inner attribute. */
const WRAPPERS = new Set(["contact", "email_template"]);

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  object: "a hash",
  array: "an array",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean",
  null: "null",
};

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(" or ");
}

function segments(path: string): string[] {
  return path
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * Turns Ajv errors into Mailtrap's 422 shape: `{attribute: [Rails-style messages]}`,
 * naming the attribute a user sent (inside the `contact` / `email_template` wrapper).
 */
export function toFieldErrors(list: readonly SchemaError[]): FieldErrors {
  const out: FieldErrors = {};
  const add = (attr: string, msg: string) => {
    const bucket = messagesOf(out, attr);
    if (!bucket.includes(msg)) bucket.push(msg);
  };
  // A union that failed reports each member's failure too; keep only the union's own.
  const unionPaths = new Set(list.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.instancePath));

  for (const e of list) {
    let segs = segments(e.instancePath);
    if (segs.length > 0 && WRAPPERS.has(segs[0]!)) segs = segs.slice(1);
    if (e.keyword !== "anyOf" && e.keyword !== "oneOf" && unionPaths.has(e.instancePath)) continue;

    if (e.keyword === "required" || e.keyword === "additionalProperties") {
      const prop = String(e.params["missingProperty"] ?? e.params["additionalProperty"]);
      const msg = e.keyword === "required" ? "can't be blank" : "is not a permitted attribute";
      if (segs.length === 0) add(prop, msg);
      else add(segs[0]!, `'${[...segs.slice(1), prop].join(".")}' ${msg}`);
      continue;
    }

    const attr = segs[0] ?? "base";
    const inner = segs.slice(1);
    const subject = inner.length === 0 ? "" : `value for '${inner.join(".")}' `;
    switch (e.keyword) {
      case "type":
        add(attr, `${subject}must be ${describeType(e.params["type"])}`);
        break;
      case "anyOf":
      case "oneOf":
        add(attr, `${subject}must be a string, number, boolean or null`);
        break;
      case "discriminator": {
        // A tagged union (steps by `type`, rules by `kind`): the tag is missing or names no member.
        const tag = `value for '${[...inner, String(e.params["tag"])].join(".")}' `;
        add(attr, e.params["error"] === "mapping" ? `${tag}is not included in the list` : `${tag}can't be blank`);
        break;
      }
      case "maxLength":
        if (e.params["propertyName"] !== undefined) add(attr, `key '${String(e.params["propertyName"])}' is too long`);
        else add(attr, `${subject}is too long (maximum is ${String(e.params["limit"])} characters)`);
        break;
      case "utf8":
        add(attr, `${subject}is not valid UTF-8`);
        break;
      case "propertyNames":
        break; // reported through the failing property name's own error
      case "minLength":
        add(attr, `${subject}can't be blank`);
        break;
      case "maxItems":
        add(attr, `${subject}is too long (maximum is ${String(e.params["limit"])} items)`);
        break;
      case "enum":
      case "const":
        add(attr, `${subject}is not included in the list`);
        break;
      case "minimum":
        add(attr, `${subject}must be greater than or equal to ${String(e.params["limit"])}`);
        break;
      case "exclusiveMinimum":
        add(attr, `${subject}must be greater than ${String(e.params["limit"])}`);
        break;
      case "maximum":
        add(attr, `${subject}must be less than or equal to ${String(e.params["limit"])}`);
        break;
      default:
        add(attr, `${subject}is invalid`);
    }
  }
  return out;
}
