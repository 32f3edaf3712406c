/** Only same-site paths may be a `next` target, so a crafted login link cannot send users away. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/automations";
}
