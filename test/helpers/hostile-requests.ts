import fc from "fast-check";

/**
 * Generators of malformed and hostile requests for the property tests. A body is a tree of
 * plain JSON values plus two kinds of leaf that JSON.stringify cannot express: `Raw` (text
 * spliced in verbatim: `1e309`, deep nesting, lone-surrogate escapes) and `Ref` (a seeded
 * row's id, looked up when the request is sent, since rows are re-created between runs).
 */
export class Raw {
  constructor(readonly text: string) {}
}

export class Ref {
  constructor(readonly name: string) {}
}

export type Tree = null | boolean | number | string | Raw | Ref | Tree[] | { [key: string]: Tree };

/** JSON text of a tree; `Ref`s resolve through `refs`. Keys are written as given, `__proto__` included. */
export function serialize(tree: Tree, refs: (name: string) => unknown): string {
  if (tree instanceof Raw) return tree.text;
  if (tree instanceof Ref) return JSON.stringify(refs(tree.name));
  if (Array.isArray(tree)) return `[${tree.map((t) => serialize(t, refs)).join(",")}]`;
  if (tree !== null && typeof tree === "object") {
    return `{${Object.entries(tree)
      .map(([k, v]) => `${JSON.stringify(k)}:${serialize(v, refs)}`)
      .join(",")}}`;
  }
  return JSON.stringify(tree) ?? "null";
}

/** What a generated request sends as its body. */
export type BodySpec =
  | { kind: "none" }
  | { kind: "json"; tree: Tree; contentType: string }
  | { kind: "bytes"; bytes: Uint8Array; contentType: string | null }
  | { kind: "text"; text: string; contentType: string | null };

/** Any UTF-16 code unit, lone surrogates and NUL included: what a buggy client may really send. */
const anyCodeUnits = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength });

const nasty = fc.constantFrom<Tree>(
  null,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  1e20,
  -1e20,
  Number.MAX_VALUE,
  5e-324,
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "-1e309",
  "0x10",
  "1_000",
  "true",
  "null",
  "undefined",
  "[object Object]",
  "__proto__",
  "constructor",
  "prototype",
  "' OR 1=1 --",
  '"; DROP TABLE contacts; --',
  "%",
  "_",
  "\\",
  "%00",
  "{{#each}}",
  "{{> partial}}",
  "{{",
  "}}",
  "{{{x}}",
  "<script>alert(1)</script>",
  "\u202e",
  "\ufeff",
  "😀".repeat(80),
  "x@example.com",
  "  X@EXAMPLE.COM ",
  "a@b",
  "@example.com",
  "2024-02-30",
  "9999-12-31",
  "0000-00-00",
  '=HYPERLINK("x")',
  [],
  {},
  [null],
  [[]],
  { a: {} },
  [1, 2, 3],
  [-1],
  [0],
  [1e20],
  ["1"],
  [1.5],
  [2 ** 53],
  { length: 1 },
);

const rawNumbers = fc.constantFrom(
  "1e309",
  "-1e309",
  "1e-400",
  "100000000000000000000000000",
  "9007199254740993",
  "-0",
  "1.0",
  "1E2",
  "0.0000001",
);
const rawTokens = fc.constantFrom('"\\ud800"', '"\\udc00x"', '"\\u0000"', '"a\\u0000b"', '"\\ud83d\\ude00"');

/** Nesting deep enough to hurt a recursive walker, written as raw text so building it costs nothing. */
const deepNest = fc.tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom("[", '{"a":')).map(([n, open]) => {
  const close = open === "[" ? "]" : "}";
  return new Raw(open.repeat(n) + "1" + close.repeat(n));
});

const hugeString = fc
  .tuple(fc.integer({ min: 256, max: 600_000 }), fc.constantFrom("x", "é", "😀", "{{", "\u0000"))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

/** One leaf value meant to break whatever it replaces. */
export const hostileValue: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 5, arbitrary: nasty },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Tree> },
  { weight: 2, arbitrary: rawNumbers.map((t) => new Raw(t)) },
  { weight: 2, arbitrary: rawTokens.map((t) => new Raw(t)) },
  { weight: 2, arbitrary: anyCodeUnits(40) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => new Raw(b.toString())),
    ),
  },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepNest },
);

const pollutionKey = fc.constantFrom("__proto__", "constructor", "prototype");
const pollutionValue = fc.constantFrom<Tree>({ polluted: true }, { prototype: { polluted: true } }, "x", 1, null, []);

/** Every path to a node of a tree (objects and arrays only hold children). */
function pathsOf(tree: Tree, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(tree)) tree.forEach((t, i) => out.push(...pathsOf(t, [...prefix, i])));
  else if (tree !== null && typeof tree === "object" && !(tree instanceof Raw) && !(tree instanceof Ref)) {
    for (const [k, v] of Object.entries(tree)) out.push(...pathsOf(v, [...prefix, k]));
  }
  return out;
}

/** A copy of `tree` with the node at `path` passed through `edit` (which may return undefined to drop it). */
function editAt(tree: Tree, path: (string | number)[], edit: (node: Tree) => Tree | undefined): Tree | undefined {
  if (path.length === 0) return edit(tree);
  const [head, ...rest] = path;
  if (Array.isArray(tree)) {
    const copy = [...tree];
    const next = editAt(copy[head as number]!, rest, edit);
    if (next === undefined) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const obj = tree as Record<string, Tree>;
  const copy: Record<string, Tree> = {};
  // defineProperty, not `=`: assigning `__proto__` would set the prototype and lose the key.
  const put = (k: string, v: Tree) => Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, v] of Object.entries(obj)) {
    if (k !== head) put(k, v);
    else {
      const next = editAt(v, rest, edit);
      if (next !== undefined) put(k, next);
    }
  }
  return copy;
}

/** Damage done to a valid body at one node. */
type Mutation =
  | { op: "replace"; value: Tree }
  | { op: "drop" }
  | { op: "addKey"; key: string; value: Tree }
  | { op: "wrapInArray" }
  | { op: "duplicate" };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: hostileValue.map((value) => ({ op: "replace" as const, value })) },
  { weight: 1, arbitrary: fc.constant({ op: "drop" as const }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.oneof(pollutionKey, fc.string({ maxLength: 20 }), anyCodeUnits(8)), hostileValue)
      .map(([key, value]) => ({ op: "addKey" as const, key, value })),
  },
  { weight: 1, arbitrary: fc.constant({ op: "wrapInArray" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "duplicate" as const }) },
);

function applyMutation(node: Tree, m: Mutation): Tree | undefined {
  switch (m.op) {
    case "replace":
      return m.value;
    case "drop":
      return undefined;
    case "addKey":
      // On a non-object the key has nowhere to go: the node becomes an object holding it.
      return node !== null && typeof node === "object" && !Array.isArray(node) && !(node instanceof Raw) && !(node instanceof Ref)
        ? { ...node, [m.key]: m.value }
        : { [m.key]: m.value };
    case "wrapInArray":
      return [node];
    case "duplicate":
      return Array.isArray(node) ? [...node, ...node] : [node, node];
  }
}

/** A valid body damaged at one to three nodes. */
export function mutatedBody(valid: Tree): fc.Arbitrary<Tree> {
  return fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }).map((edits) => {
    let tree: Tree = valid;
    for (const [pick, m] of edits) {
      const paths = pathsOf(tree);
      tree = editAt(tree, paths[pick % paths.length]!, (node) => applyMutation(node, m)) ?? null;
    }
    return tree;
  });
}

const WRONG_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/jsonx",
  "application/vnd.api+json",
  "text/json",
  "*/*",
  "application/octet-stream",
  "application/json-patch+json",
];
const JSON_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/json; charset=utf-16",
  "application/json;;;",
];

/** Bytes that are not UTF-8 (or not JSON once decoded): lone continuation bytes, overlongs, BOMs. */
const garbageBytes = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 200 }),
  fc.constantFrom(
    Uint8Array.from([0xff, 0xfe, 0x7b, 0x7d]),
    Uint8Array.from([0xc0, 0xaf]),
    Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
    Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
    Uint8Array.from([0x00, 0x7b, 0x00, 0x7d]),
  ),
);

/** Text that is not a JSON document at all, or is one cut short. */
function garbageText(valid: Tree): fc.Arbitrary<string> {
  const text = serialize(valid, () => 1);
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n)),
    fc.constantFrom(
      "",
      " ",
      "NaN",
      "Infinity",
      "undefined",
      "1e309",
      "-",
      "{'a': 1}",
      '{"a":1,}',
      "[1,]",
      '{"a"}',
      '{"a":1}{"b":2}',
      `${text}garbage`,
      `\ufeff${text}`,
    ),
    anyCodeUnits(120),
    fc.string({ unit: "binary", maxLength: 120 }),
  );
}

/** Any body an endpoint whose valid body is `valid` might be sent. */
export function hostileBody(valid: Tree): fc.Arbitrary<BodySpec> {
  const jsonType = fc.constantFrom(...JSON_TYPES);
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant("json" as const), tree: mutatedBody(valid), contentType: jsonType }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("json" as const), tree: hostileValue, contentType: jsonType }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("json" as const),
        tree: fc.tuple(pollutionKey, pollutionValue).map(([k, v]): Tree => ({ [k]: v, ...(valid as Record<string, Tree>) })),
        contentType: jsonType,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("json" as const), tree: fc.constant(valid), contentType: fc.constantFrom(...WRONG_TYPES) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("bytes" as const),
        bytes: garbageBytes,
        contentType: fc.constantFrom<string | null>("application/json", null, "text/plain"),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("text" as const),
        text: garbageText(valid),
        contentType: fc.constantFrom<string | null>("application/json", null),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("json" as const), tree: fc.constant(valid), contentType: fc.constant("application/json") }),
    },
  );
}

/** A path segment naming a row: the seeded one (`null`) or something odd. */
export const weirdIdentifier: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "0",
      "-1",
      "00",
      "01",
      "1e3",
      "1.0",
      "+1",
      " 1",
      "NaN",
      "Infinity",
      "9".repeat(20),
      "18446744073709551617",
      "9007199254740993",
      "%00",
      "a%00b",
      "%2e%2e",
      "..",
      "%2F",
      "%25",
      "%E0%A4%A",
      "%ED%A0%80",
      "%C0%AF",
      "%FF",
      "null",
      "undefined",
      "__proto__",
      "constructor",
      "%27%20OR%201%3D1",
      "x%40example.com",
      "X%40EXAMPLE.COM",
      "00000000-0000-0000-0000-000000000000",
      "a".repeat(1100),
      "%41".repeat(400),
      `${"a".repeat(60)}%40${"b".repeat(180)}.com`,
    ),
  },
  { weight: 2, arbitrary: anyCodeUnits(30).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "?")) || "%20") },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 30 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, "0")}`).join("")),
  },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1_000_000 }).map(String) },
);

/** The path prefix: token-scoped, this account's own, or an account the token does not own. */
export const prefixChoice = fc.oneof(
  { weight: 4, arbitrary: fc.constant<"token" | "own" | string>("token") },
  { weight: 3, arbitrary: fc.constant<"token" | "own" | string>("own") },
  { weight: 1, arbitrary: fc.constantFrom("0", "-1", "999999", "abc", "%00", "1e3", "%ED%A0%80") },
);
