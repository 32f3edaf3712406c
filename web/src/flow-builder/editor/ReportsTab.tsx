import { useCallback, useMemo } from "react";
import type { Definition, Step } from "../../../../src/core/flow/schema.ts";
import { DataTable } from "../../components/DataTable.tsx";
import { ErrorNotice, Loading } from "../../components/PageState.tsx";
import { formatNumber } from "../../lib/format.ts";
import { exitWords, refusalWords } from "../../lib/run-words.ts";
import { useApi } from "../../lib/use-api.ts";
import { DailyChart } from "./DailyChart.tsx";
import { FlowCanvas } from "../canvas/FlowCanvas.tsx";
import type { Figure } from "../canvas/FlowNodes.tsx";
import { REPORT_SIZES } from "../model/layout.ts";
import { type DailyFigures, percent, type Report, type StepFigures, sum } from "../model/report-types.ts";
import type { Names } from "../model/summarize.ts";
import { toGraph } from "../model/to-graph.ts";

const NO_ISSUES = new Map<string, string[]>();
/** The figures follow the engine while the tab is visible: runs and sends go on after a test-clock jump. */
const LIVE = { live: 2000 };

function stepFigures(step: Step, f: StepFigures | undefined): Figure[] {
  const n = (key: string, label: string, value: number): Figure => ({ key, label, value: formatNumber(value) });
  const out = [n("entered", "Entered", f?.entered ?? 0), n("completed", "Completed", f?.completed ?? 0)];
  if (step.type === "delay") out.push(n("waiting", "Waiting", f?.waiting ?? 0));
  if (step.type === "condition") out.push(n("yes", "Yes", f?.branches?.yes ?? 0), n("no", "No", f?.branches?.no ?? 0));
  const e = f?.email;
  if (step.type === "send_email") {
    // Two columns: each row pairs a count with its rate or its counterpart.
    out.push(
      n("sent", "Sent", e?.sent ?? 0),
      n("failed", "Failed", e?.failed ?? 0),
      n("opens", "Opens", e?.unique_opens ?? 0),
      { key: "open_rate", label: "Open rate", value: percent(e?.open_rate ?? 0) },
      n("clicks", "Clicks", e?.unique_clicks ?? 0),
      { key: "click_rate", label: "Click rate", value: percent(e?.click_rate ?? 0) },
      n("skipped", "Skipped", e?.skipped ?? 0),
    );
  }
  return out;
}

/** A reason code in words, as a label: "The automation was disabled". */
function reasonLabel(key: string, reason: string): string {
  const words = key === "refused" ? refusalWords(reason) : exitWords(reason);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function ByReason({ counts, kind }: { counts: Record<string, number>; kind: string }) {
  const entries = Object.entries(counts);
  if (entries.length === 0) return null;
  return (
    <ul className="fb-reasons">
      {entries.map(([reason, n]) => (
        <li key={reason} data-testid={`reason-${reason}`}>
          {reasonLabel(kind, reason)}: {formatNumber(n)}
        </li>
      ))}
    </ul>
  );
}

function SummaryBar({ report }: { report: Report }) {
  const items: [string, string, number, Record<string, number> | null][] = [
    ["entered", "Entered", report.entered, null],
    ["active", "Active", report.active, null],
    ["completed", "Completed", report.completed, null],
    ["failed", "Failed", report.failed, null],
    ["exited", "Exited", sum(report.exited), report.exited],
    ["refused", "Refused", sum(report.refused), report.refused],
  ];
  return (
    <dl className="fb-summary" aria-label="Automation totals">
      {items.map(([key, label, value, reasons]) => (
        <div key={key} className="fb-summary-item" data-testid={`summary-${key}`}>
          <dt>{label}</dt>
          <dd>
            <span className="fb-summary-value">{formatNumber(value)}</span>
            {reasons ? <ByReason counts={reasons} kind={key} /> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Figures of steps that only earlier versions had (runs passed through them before an edit). */
function RemovedSteps({ report, definition }: { report: Report; definition: Definition }) {
  const removed = report.steps.filter((s) => !definition.steps.some((d) => d.id === s.step_id));
  if (removed.length === 0) return null;
  return (
    <details className="fb-details">
      <summary>Steps of earlier versions ({removed.length})</summary>
      <DataTable
        caption="Steps of earlier versions"
        columns={["Step", { label: "Entered", num: true }, { label: "Completed", num: true }, { label: "Emails sent", num: true }]}
      >
        {removed.map((s) => (
          <tr key={s.step_id}>
            <th scope="row">{s.step_id}</th>
            <td className="num">{formatNumber(s.entered)}</td>
            <td className="num">{formatNumber(s.completed)}</td>
            <td className="num">{s.email ? formatNumber(s.email.sent) : "—"}</td>
          </tr>
        ))}
      </DataTable>
    </details>
  );
}

/**
 * The live version's canvas, read-only, each node with its figures from `/report`; the
 * totals above it and the day-by-day chart from `/report/daily` below. Both reload when
 * data changes (the test clock moved) and every two seconds while the page is visible.
 */
export function ReportsTab({ automationId, definition, names }: { automationId: number; definition: Definition; names: Names }) {
  const report = useApi<{ data: Report }>(`/api/automations/${automationId}/report`, LIVE);
  const daily = useApi<{ data: DailyFigures[] }>(`/api/automations/${automationId}/report/daily`, LIVE);
  const graph = useMemo(() => toGraph(definition, REPORT_SIZES), [definition]);
  const r = report.data?.data;
  const byStep = useMemo(() => new Map((r?.steps ?? []).map((s) => [s.step_id, s])), [r]);
  const figures = useCallback(
    (id: string, step: Step | undefined): Figure[] | null => {
      if (!r) return null;
      if (!step)
        return [
          { key: "entered", label: "Entered", value: formatNumber(r.entered) },
          { key: "refused", label: "Refused", value: formatNumber(sum(r.refused)) },
        ];
      return stepFigures(step, byStep.get(id));
    },
    [r, byStep],
  );

  return (
    <section className="fb-reports" aria-label="Reports">
      <ErrorNotice error={report.error} title="Report unavailable" />
      {r ? <SummaryBar report={r} /> : report.loading ? <Loading label="Loading the report…" /> : null}
      {r ? <FlowCanvas graph={graph} names={names} issues={NO_ISSUES} figures={figures} label="Automation report canvas" /> : null}
      {r ? <RemovedSteps report={r} definition={definition} /> : null}
      <h2>Over time</h2>
      <ErrorNotice error={daily.error} title="Daily figures unavailable" />
      {daily.data ? <DailyChart days={daily.data.data} /> : daily.loading ? <Loading /> : null}
    </section>
  );
}
