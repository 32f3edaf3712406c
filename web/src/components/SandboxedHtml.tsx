import { useMemo } from "react";
import { previewHtml } from "../lib/email-preview.ts";

/**
 * An email's HTML in a sandboxed iframe: no scripts, no forms, no same-origin access, so a
 * hostile template cannot touch the app or its session. Its links open in a new tab
 * (`allow-popups`, and `allow-popups-to-escape-sandbox` so the opened site works normally);
 * tracking is defused so that looking is not recorded as an open or a click.
 */
export function SandboxedHtml({ html, title }: { html: string; title: string }) {
  const safe = useMemo(() => previewHtml(html), [html]);
  return <iframe className="email-frame" sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={safe} title={title} />;
}
