import { type FormEvent, useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { bumpDataVersion } from "../lib/data-refresh.ts";
import { formatDateTime } from "../lib/format.ts";

const STEPS = [
  { label: "+1 hour", seconds: 3600 },
  { label: "+1 day", seconds: 86_400 },
  { label: "+2 days", seconds: 172_800 },
];

/**
 * Moves the server's test clock (MAILWRIGHT_TEST_CLOCK=1), like Stripe's test clocks: a
 * seven-day sequence can be watched in seconds. After a move, every page reloads its data.
 */
export function TestClockControl() {
  const [now, setNow] = useState<string | null>(null);
  const [seconds, setSeconds] = useState("3600");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ data: { now: string } }>("GET", "/api/test-clock").then(
      (r) => setNow(r.data.now),
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, []);

  async function advance(by: number) {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ data: { now: string } }>("POST", "/api/test-clock/advance", { seconds: by });
      setNow(r.data.now);
      bumpDataVersion();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(seconds);
    if (Number.isFinite(n) && n > 0) void advance(n);
    else setError("Enter a number of seconds greater than 0");
  }

  return (
    <section className="test-clock" aria-label="Test clock">
      <span className="test-clock-label">Test clock</span>
      <output className="test-clock-now" aria-live="polite" data-testid="test-clock-now">
        {now ? formatDateTime(now) : "…"}
      </output>
      {STEPS.map((s) => (
        <button key={s.label} type="button" className="button-small" disabled={busy} onClick={() => advance(s.seconds)}>
          {s.label}
        </button>
      ))}
      <form onSubmit={submit} className="test-clock-form">
        <input
          type="number"
          min={1}
          step={1}
          aria-label="Seconds to advance the test clock"
          value={seconds}
          onChange={(e) => setSeconds(e.target.value)}
          className="test-clock-seconds"
        />
        <button type="submit" className="button-small" disabled={busy}>
          Advance
        </button>
      </form>
      {error ? (
        <span className="test-clock-error" role="alert">
          {error}
        </span>
      ) : null}
    </section>
  );
}
