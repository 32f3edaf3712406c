import { afterEach, describe, expect, it, vi } from "vitest";
import { renderEmail, unsupportedSyntax } from "../../src/server/email/render.ts";
import { inlinePartialBomb } from "../helpers/template-bombs.ts";

const render = (html: string, vars: Record<string, unknown> = { first_name: "Ann", email: "ann@example.com" }) =>
  renderEmail({ subject: "s", html, text: "" }, vars).html;

// The published Handlebars prototype-pollution payload: it builds a Function from strings
// through `constructor`, and would set a global flag if it ran.
const RCE = `{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push "return globalThis.__pwned = 1;"}}{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}`;

describe("template injection", () => {
  afterEach(() => {
    delete (globalThis as { __pwned?: unknown }).__pwned;
  });

  it.each([
    "{{constructor.constructor}}",
    "{{constructor}}",
    "{{__proto__}}",
    "{{__proto__.constructor}}",
    '{{lookup this "constructor"}}',
    '{{lookup (lookup this "constructor") "name"}}',
    "{{this.constructor.name}}",
    "{{#with this}}{{constructor.name}}{{/with}}",
    "{{email.constructor.name}}",
    "{{first_name.toString}}",
    "{{@root.constructor.name}}",
  ])("%s renders nothing of the runtime", (source) => {
    let out: string;
    try {
      out = render(`[${source}]`);
    } catch {
      return; // refusing to render is safe too
    }
    expect(out).not.toMatch(/function|Object|String|native code|\[object/);
  });

  it("the published prototype-pollution payload runs nothing", () => {
    try {
      render(RCE);
    } catch {
      // a render error is a safe outcome
    }
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  it("escapes HTML in merge values, except in a triple-stash the author chose", () => {
    const vars = { first_name: `<script>alert("x")</script>&`, email: "a@example.com" };
    expect(render("<p>Hi {{first_name}}</p>", vars)).toBe("<p>Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;</p>");
    expect(render("<p>{{{first_name}}}</p>", vars)).toBe(`<p><script>alert("x")</script>&</p>`);
  });

  it("keeps a subject on one header line whatever a value holds", () => {
    const out = renderEmail({ subject: "Hi {{first_name}}", html: "", text: "x" }, { first_name: "Ann\r\nBcc: victim@example.com" });
    expect(out.subject).toBe("Hi Ann Bcc: victim@example.com");
    expect(out.subject).not.toMatch(/[\r\n]/);
  });
});

describe("template bombs and the log", () => {
  it.each([6, 7, 8, 9, 10])("an inline-partial bomb %i deep is refused before anything renders", (depth) => {
    const started = performance.now();
    expect(inlinePartialBomb(depth).length).toBeLessThan(1300);
    expect(() => render(inlinePartialBomb(depth))).toThrow(/inline partial/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it.each(["{{> header}}", "{{#> layout}}x{{/layout}}", "{{* decorator}}"])("%s is refused (no partials or decorators)", (source) => {
    expect(() => render(source)).toThrow(/cannot use/);
    expect(unsupportedSyntax(source)).toMatch(/cannot use/);
  });

  it("{{log}} writes nothing to the server's output", () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    try {
      let out = "";
      try {
        out = render('{{log "forged {\\"level\\":50}" level="error"}}{{#each (lookup this "x")}}{{/each}}');
      } catch {
        // refusing the helper is safe too
      }
      expect(out).toBe("");
      for (const s of spies) expect(s).not.toHaveBeenCalled();
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});
