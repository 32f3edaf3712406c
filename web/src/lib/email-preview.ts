/**
 * The destination inside one of our click-tracking links (`…/t/c/<payload>.<signature>`):
 * the payload is signed, not secret (base64url JSON, `u` the URL), so the preview can link
 * straight to where the email points without passing through the tracked redirect.
 */
function trackedDestination(href: string): string | null {
  const m = /\/t\/c\/([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/.exec(href);
  if (!m?.[1]) return null;
  try {
    const b64 = m[1].replaceAll("-", "+").replaceAll("_", "/");
    const bytes = Uint8Array.from(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as { u?: unknown };
    return typeof payload.u === "string" && /^https?:\/\//i.test(payload.u) ? payload.u : null;
  } catch {
    return null;
  }
}

/**
 * An email's HTML made safe to *look at* inside the app. The iframe's sandbox blocks scripts,
 * forms and same-origin access; links open in a new tab (the sandbox allows popups, which
 * escape it, so the page opened is an ordinary one). Viewing never counts as reading: our
 * open pixel (`/t/o/…`) is dropped, a tracked link (`/t/c/…`) points straight at its
 * destination, and an unsubscribe link (`/u/…`) is disabled, since following it would
 * unsubscribe the contact.
 */
export function previewHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const img of Array.from(doc.querySelectorAll("img"))) {
    if (/\/t\/o\//.test(img.getAttribute("src") ?? "")) img.remove();
  }
  for (const base of Array.from(doc.querySelectorAll("base"))) base.remove();
  for (const a of Array.from(doc.querySelectorAll("a[href]"))) {
    const href = a.getAttribute("href") ?? "";
    const destination = trackedDestination(href);
    if (destination) a.setAttribute("href", destination);
    else if (/\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(href)) {
      a.removeAttribute("href");
      a.setAttribute("title", "The unsubscribe link (not followed from a preview)");
    }
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer");
  }
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}
