/**
 * An email's HTML made safe to *look at* inside the app. The iframe's `sandbox=""` already
 * blocks scripts and popups; this also keeps viewing from counting as reading: our own open
 * pixel (`/t/o/…`) is dropped, and every link is pointed at a new window, which the sandbox
 * refuses, so a click in a preview never reaches a tracked `/t/c/…` redirect.
 */
export function previewHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const img of Array.from(doc.querySelectorAll("img"))) {
    if (/\/t\/o\//.test(img.getAttribute("src") ?? "")) img.remove();
  }
  for (const base of Array.from(doc.querySelectorAll("base"))) base.remove();
  for (const a of Array.from(doc.querySelectorAll("a[target]"))) a.removeAttribute("target");
  const base = doc.createElement("base");
  base.setAttribute("target", "_blank");
  doc.head.prepend(base);
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}
