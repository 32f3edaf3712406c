import { Link, useParams } from "react-router";
import type { ConditionOutcome } from "../../../src/core/engine/evaluate-condition.ts";
import type { JournalEntry, RunDetail } from "../api/automations.ts";
import { ConditionWhy } from "../components/ConditionWhy.tsx";
import { ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { formatDateTime } from "../lib/format.ts";
import { exitWords, outcomeWords, RUN_STATUS_WORDS } from "../lib/run-words.ts";
import { useApi } from "../lib/use-api.ts";

function isCondition(detail: unknown): detail is ConditionOutcome {
  return typeof detail === "object" && detail !== null && Array.isArray((detail as { rules?: unknown }).rules);
}

function EmailLine({ message }: { message: NonNullable<JournalEntry["message"]> }) {
  const parts = [
    message.status === "sent"
      ? `sent ${formatDateTime(message.sent_at)}`
      : message.status === "queued"
        ? "waiting to be sent"
        : message.status,
    message.opened_at ? `opened ${formatDateTime(message.opened_at)}` : null,
    message.clicked_at ? `clicked ${formatDateTime(message.clicked_at)}` : null,
  ].filter((p) => p !== null);
  return (
    <p className="muted">
      {message.subject ? (
        <>
          “{message.subject}” to {message.to}:{" "}
        </>
      ) : (
        <>To {message.to}: </>
      )}
      {parts.join(" · ")}
      {message.error ? <> ({message.error})</> : null}
    </p>
  );
}

/** One step the run went through: its name, what happened and when; a delay shows its start and its end. */
function JourneyStep({ entry }: { entry: JournalEntry }) {
  const waitOver = entry.type === "delay" && entry.completed_at !== null;
  return (
    <li className="timeline-item" data-testid={`journal-${entry.step_id}`}>
      <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      <div>
        <strong>{entry.step_name}</strong> — {outcomeWords(entry.type, waitOver ? "waiting" : entry.outcome)}
        {waitOver ? (
          <p>
            Wait over <time dateTime={entry.completed_at ?? undefined}>{formatDateTime(entry.completed_at)}</time>
          </p>
        ) : null}
        {isCondition(entry.detail) ? <ConditionWhy why={entry.detail} /> : null}
        {entry.message ? <EmailLine message={entry.message} /> : null}
      </div>
    </li>
  );
}

/** A run's own page (`/runs/:id`): who, which automation, where it is, and its journey step by step. */
export function RunPage() {
  const { id = "" } = useParams();
  const run = useApi<{ data: RunDetail }>(`/api/runs/${encodeURIComponent(id)}`, { live: 3000 });
  const r = run.data?.data;
  if (!r) {
    return (
      <>
        <PageHeader title="Run" />
        <ErrorNotice error={run.error} />
        {run.loading ? <Loading /> : null}
      </>
    );
  }
  const who = r.contact_email ?? "a deleted contact";
  return (
    <>
      <PageHeader
        title={`Journey of ${who}`}
        description={
          <>
            Run {r.id} of <Link to={`/automations/${r.automation_id}?tab=runs`}>{r.automation_name}</Link> (version {r.version})
          </>
        }
      >
        <StatusBadge status={r.status} />
      </PageHeader>
      <p>
        <Link to={`/automations/${r.automation_id}?tab=runs`}>← All runs of {r.automation_name}</Link>
      </p>
      <ErrorNotice error={run.error} />
      <section className="panel" aria-labelledby="run-summary-heading">
        <h2 id="run-summary-heading">Summary</h2>
        <dl className="meta">
          <dt>Contact</dt>
          <dd>
            {r.contact_email ? <Link to={`/contacts/${encodeURIComponent(r.contact_id)}`}>{r.contact_email}</Link> : who}
            {r.contact_name ? <> ({r.contact_name})</> : null}
          </dd>
          <dt>Status</dt>
          <dd>
            {RUN_STATUS_WORDS[r.status] ?? r.status}
            {r.exit_reason ? <>: {exitWords(r.exit_reason)}</> : null}
          </dd>
          <dt>Entered</dt>
          <dd>{formatDateTime(r.entered_at)}</dd>
          {r.current_step_name ? (
            <>
              <dt>Now at</dt>
              <dd>
                {r.current_step_name}
                {r.wake_at ? <> (until {formatDateTime(r.wake_at)})</> : null}
              </dd>
            </>
          ) : null}
          {r.finished_at ? (
            <>
              <dt>Finished</dt>
              <dd>{formatDateTime(r.finished_at)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section className="panel" aria-labelledby="journey-heading">
        <h2 id="journey-heading">Journey</h2>
        {r.journal.length === 0 ? <p className="muted">No step yet: the run starts in a moment.</p> : null}
        <ol className="timeline">
          {r.journal.map((entry) => (
            <JourneyStep key={entry.step_id} entry={entry} />
          ))}
        </ol>
      </section>
    </>
  );
}
