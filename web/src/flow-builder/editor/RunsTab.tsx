import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import type { Definition } from "../../../../src/core/flow/schema.ts";
import { stepLabel } from "../../../../src/core/flow/step-label.ts";
import type { Run, RunsPage } from "../../api/automations.ts";
import { api, query } from "../../api/client.ts";
import { DataTable } from "../../components/DataTable.tsx";
import { EmptyState, ErrorNotice, Loading } from "../../components/PageState.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { exitWords, RUN_STATUS_WORDS } from "../../lib/run-words.ts";
import { useApi } from "../../lib/use-api.ts";
import type { Names } from "../model/summarize.ts";

const STATUSES = ["active", "completed", "exited", "failed"] as const;
const PAGE = 50;

/** The typed text, once typing has paused: one request per search, not per key. */
function useSettled(value: string, ms = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The automation's runs, newest first, each with its contact's email and name: searched by
 * email, filtered by the step a run is at and by status, paged with "Load more". The first
 * page follows the engine live while visible; each run opens its own page with its journey.
 */
export function RunsTab({ automationId, definition, names }: { automationId: number; definition?: Definition; names?: Names }) {
  const [status, setStatus] = useState("");
  const [stepId, setStepId] = useState("");
  const [emailInput, setEmailInput] = useState("");
  const email = useSettled(emailInput.trim());
  const path = `/api/automations/${automationId}/runs${query({ status, step_id: stepId, email, limit: PAGE })}`;
  const [more, setMore] = useState<{ path: string; runs: Run[]; cursor: string | null } | null>(null);
  // Live while only the first page shows: once older pages are loaded, a moving first page would leave a gap between them.
  const first = useApi<RunsPage>(path, { live: more?.path === path ? undefined : 3000 });
  const [moreError, setMoreError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const label = useMemo(() => {
    const steps = new Map((definition?.steps ?? []).map((s) => [s.id, s]));
    return (id: string) => {
      const step = steps.get(id);
      return step ? stepLabel(step, names) : id;
    };
  }, [definition, names]);

  // Pages loaded with "Load more" belong to the filters they were loaded with.
  const extra = more?.path === path ? more : null;
  const list = useMemo(() => {
    const head = first.data?.data;
    if (!head) return undefined;
    const seen = new Set(head.map((r) => r.id));
    return [...head, ...(extra?.runs ?? []).filter((r) => !seen.has(r.id))];
  }, [first.data, extra]);
  const cursor = extra ? extra.cursor : (first.data?.next_cursor ?? null);

  async function loadMore() {
    if (!cursor) return;
    setBusy(true);
    setMoreError(null);
    try {
      const page = await api<RunsPage>("GET", `${path}&cursor=${encodeURIComponent(cursor)}`);
      setMore({ path, runs: [...(extra?.runs ?? []), ...page.data], cursor: page.next_cursor });
    } catch (err) {
      setMoreError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  }

  const filtered = status !== "" || stepId !== "" || email !== "";
  return (
    <section aria-label="Runs">
      <form className="filters" role="search" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <div className="fb-field fb-inline">
          <label className="fb-field-label" htmlFor="runs-email">
            Search by email
          </label>
          <input
            id="runs-email"
            type="search"
            value={emailInput}
            onChange={(e) => setEmailInput(e.target.value)}
            placeholder="part of an address"
          />
        </div>
        <div className="fb-field fb-inline">
          <label className="fb-field-label" htmlFor="runs-step">
            Step
          </label>
          <select id="runs-step" value={stepId} onChange={(e) => setStepId(e.target.value)}>
            <option value="">Any step</option>
            {(definition?.steps ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {label(s.id)}
              </option>
            ))}
          </select>
        </div>
        <div className="fb-field fb-inline">
          <label className="fb-field-label" htmlFor="runs-status">
            Status
          </label>
          <select id="runs-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {RUN_STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorNotice error={first.error} />
      {first.loading && !list ? <Loading /> : null}
      {list && list.length === 0 ? (
        <EmptyState title={filtered ? "No runs match these filters" : "No runs yet"}>
          {filtered ? "Try another address, step or status." : "Runs appear when contacts enter the automation."}
        </EmptyState>
      ) : null}
      {list && list.length > 0 ? (
        <DataTable
          caption="Runs"
          columns={["Contact", "Status", "Step now", "Entered", "Finished or wakes", "Why it left", { label: "Journey", hidden: true }]}
        >
          {list.map((r) => (
            <tr key={r.id} data-testid={`run-${r.id}`}>
              <td>
                {r.contact_email ? (
                  <Link to={`/contacts/${encodeURIComponent(r.contact_id)}`}>{r.contact_email}</Link>
                ) : (
                  <span className="muted">Deleted contact</span>
                )}
                {r.contact_name ? <div className="muted">{r.contact_name}</div> : null}
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>{r.current_step_id ? label(r.current_step_id) : "—"}</td>
              <td>{formatDateTime(r.entered_at)}</td>
              <td>{r.finished_at ? formatDateTime(r.finished_at) : r.wake_at ? `wakes ${formatDateTime(r.wake_at)}` : "—"}</td>
              <td>{exitWords(r.exit_reason) || "—"}</td>
              <td>
                <Link to={`/runs/${r.id}`} aria-label={`Journey of ${r.contact_email ?? "the deleted contact"} (run ${r.id})`}>
                  Journey
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <ErrorNotice error={moreError} />
      {list && cursor ? (
        <button type="button" onClick={loadMore} disabled={busy}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
