/**
 * When to try a message again after a transient failure (a 4xx reply or a connection
 * error), RFC 5321 §4.5.4.1 style: growing intervals, here 1 min, 5 min, 15 min, 1 h, then
 * every 4 h, each with ±20% jitter so messages deferred together (a relay's hiccup) do not
 * come back together. Pure: time and randomness are passed in.
 */
const STEPS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 4 * 60 * 60_000];

export function retryDelayMs(attemptsMade: number, random: number): number {
  const base = STEPS_MS[Math.min(Math.max(attemptsMade, 1), STEPS_MS.length) - 1]!;
  return Math.round(base * (0.8 + 0.4 * random));
}

/**
 * The next attempt's time, or null once the retry window (counted from the first attempt)
 * is over: the message then fails with its last reply. The last attempt is moved to the
 * window's end rather than dropped, so the whole window is used.
 */
export function nextAttemptAt(attemptsMade: number, firstAttemptAt: number, now: number, windowMs: number, random: number): number | null {
  const end = firstAttemptAt + windowMs;
  if (now >= end) return null;
  return Math.min(now + retryDelayMs(attemptsMade, random), end);
}
