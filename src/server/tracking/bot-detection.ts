/**
 * Hits that are not a person: mail-security link scanners, prefetching proxies and scripts.
 * They are recorded (totals) but kept out of unique opens and clicks. Opens stay
 * approximate whatever we do: privacy proxies (Apple Mail) fetch every image.
 */
const SCANNER_UA =
  /bot|crawl|spider|scan|preview|barracuda|proofpoint|mimecast|forcepoint|fireeye|trendmicro|symantec|messagelabs|cisco|ironport|sophos|zscaler|safelinks|curl\/|wget\/|python-requests|python-urllib|go-http-client|java\/|okhttp|headlesschrome|phantomjs|httpclient|libwww|node-fetch|axios\//i;

/** A hit this soon after the message was handed over is a scanner or prefetcher, not a reader. */
export const PREFETCH_WINDOW_MS = 10_000;

export function looksAutomated(hit: { userAgent: string | undefined; method: string; at: number; sentAt: number | null }): boolean {
  if (hit.method === "HEAD") return true;
  const ua = hit.userAgent ?? "";
  if (ua.trim() === "" || SCANNER_UA.test(ua)) return true;
  return hit.sentAt !== null && hit.at - hit.sentAt >= 0 && hit.at - hit.sentAt < PREFETCH_WINDOW_MS;
}
