import { useMemo } from "react";
import { previewHtml } from "../lib/email-preview.ts";

/**
 * An email's HTML in an iframe with every sandbox restriction (`sandbox=""`): no scripts, no
 * forms, no popups, no same-origin access, so a hostile template cannot touch the app or
 * its session; tracking is defused so that looking is not recorded as an open or a click.
 */
export function SandboxedHtml({ html, title }: { html: string; title: string }) {
  const safe = useMemo(() => previewHtml(html), [html]);
  return <iframe className="email-frame" sandbox="" srcDoc={safe} title={title} />;
}
