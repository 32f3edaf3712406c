import { useId } from "react";
import { DataTable } from "../../components/DataTable.tsx";
import type { DailyFigures } from "../model/report-types.ts";

interface Series {
  key: string;
  label: string;
  color: string;
  values: number[];
}

const W = 640;
const H = 200;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

/** Every UTC day from the first to the last, so quiet days show as zero, not as a gap. */
function fillDays(days: DailyFigures[]): string[] {
  if (days.length === 0) return [];
  const out: string[] = [];
  const end = Date.parse(`${days[days.length - 1]!.day}T00:00:00Z`);
  for (let t = Date.parse(`${days[0]!.day}T00:00:00Z`); t <= end && out.length < 3660; t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * A small hand-drawn SVG chart of entries, completions and emails sent per day, as grouped
 * bars side by side (lines of equal values would lie on top of each other and hide all but
 * the last one drawn): no chart library for three series. It has a `<title>` and description, and the same numbers
 * are in a data table below it for screen readers and for reading exact values.
 */
export function DailyChart({ days }: { days: DailyFigures[] }) {
  const id = useId();
  const labels = fillDays(days);
  const byDay = new Map(days.map((d) => [d.day, d]));
  const series: Series[] = [
    { key: "entered", label: "Entered", color: "#1d4ed8", values: labels.map((d) => byDay.get(d)?.entered ?? 0) },
    { key: "completed", label: "Completed", color: "#116329", values: labels.map((d) => byDay.get(d)?.completed ?? 0) },
    {
      key: "sent",
      label: "Emails sent",
      color: "#9a3412",
      values: labels.map((d) => (byDay.get(d)?.steps ?? []).reduce((n, s) => n + (s.email?.sent ?? 0), 0)),
    },
  ];
  if (labels.length === 0) return <p className="muted">No activity yet: figures appear here day by day once contacts enter.</p>;

  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const slot = (W - PAD.left - PAD.right) / labels.length;
  const bar = Math.max(1, Math.min(16, (slot * 0.8) / series.length));
  // Bar k of day i: the day's group centred in its slot, the series side by side.
  const x = (i: number, k: number) => PAD.left + slot * (i + 0.5) + (k - series.length / 2) * bar;
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const ticks = [0, Math.round(max / 2), max].filter((t, i, all) => all.indexOf(t) === i);
  return (
    <figure className="fb-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>Daily activity</title>
        <desc id={`${id}-desc`}>
          Entered, completed and emails sent per day, {labels[0]} to {labels[labels.length - 1]}; the table below lists every value.
        </desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#d0d7de" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#57606a">
              {t}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={H - 8} fontSize="11" fill="#57606a">
          {labels[0]}
        </text>
        {labels.length > 1 ? (
          <text x={W - PAD.right} y={H - 8} fontSize="11" fill="#57606a" textAnchor="end">
            {labels[labels.length - 1]}
          </text>
        ) : null}
        {series.map((s, k) => (
          <g key={s.key} data-series={s.key}>
            {s.values.map((v, i) =>
              v > 0 ? (
                <rect
                  key={labels[i]}
                  data-day={labels[i]}
                  x={x(i, k)}
                  y={y(v)}
                  width={Math.max(1, bar - 1)}
                  height={y(0) - y(v)}
                  fill={s.color}
                />
              ) : null,
            )}
          </g>
        ))}
      </svg>
      <figcaption className="fb-legend">
        {series.map((s) => (
          <span key={s.key}>
            <span className="fb-swatch" style={{ background: s.color }} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </figcaption>
      <details className="fb-details">
        <summary>Data table</summary>
        <DataTable caption="Daily activity" columns={["Day (UTC)", ...series.map((s) => ({ label: s.label, num: true }))]}>
          {labels.map((day, i) => (
            <tr key={day}>
              <th scope="row">{day}</th>
              {series.map((s) => (
                <td key={s.key} className="num">
                  {s.values[i]}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      </details>
    </figure>
  );
}
