import { type FormEvent, useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { bumpDataVersion } from "../lib/data-refresh.ts";
import { formatDateTime } from "../lib/format.ts";

const UNITS = [
  { value: "minutes", label: "minutes", seconds: 60 },
  { value: "hours", label: "hours", seconds: 3600 },
  { value: "days", label: "days", seconds: 86_400 },
] as const;
type Unit = (typeof UNITS)[number]["value"];

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
  const [amount, setAmount] = useState("30");
  const [unit, setUnit] = useState<Unit>("minutes");
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
    const n = Number(amount);
    const per = UNITS.find((u) => u.value === unit)?.seconds ?? 60;
    if (Number.isFinite(n) && n > 0) void advance(Math.round(n * per));
    else setError(`Enter a number of ${unit} greater than 0`);
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
          step="any"
          aria-label="Amount to advance the test clock"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          className="test-clock-seconds"
        />
        <select aria-label="Unit" value={unit} onChange={(e) => setUnit(e.target.value as Unit)} className="test-clock-unit">
          {UNITS.map((u) => (
            <option key={u.value} value={u.value}>
              {u.label}
            </option>
          ))}
        </select>
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
