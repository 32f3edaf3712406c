import { compile, type HtmlToTextOptions } from "html-to-text";

// Headings keep their case (a name in a heading stays a name); a link shows where it goes
// beside its text, once when the text is the URL; layout-table cells read as blocks, not
// run together; images (logos, spacers) have no text to offer. No wrapping: clients reflow.
const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    { selector: "td", format: "block" },
    { selector: "th", format: "block" },
    { selector: "img", format: "skip" },
  ],
};

// Compiled once: `convert` builds its selectors and formatters again on every call, which the
// sender would pay once per message.
const toText = compile(OPTIONS);

/** A plain-text part for an email that has only HTML: `Read the docs [https://…]`. */
export function textFromHtml(html: string): string {
  return toText(html).trim();
}
