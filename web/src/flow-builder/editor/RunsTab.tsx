import { reasonText } from "../../lib/reason-text.ts";
import { useState } from "react";
import { Link } from "react-router";
import { query } from "../../api/client.ts";
import { DataTable } from "../../components/DataTable.tsx";
import { EmptyState, ErrorNotice, Loading } from "../../components/PageState.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useApi } from "../../lib/use-api.ts";

interface Run {
  id: number;
  contact_id: string;
  status: "active" | "completed" | "exited" | "failed";
  version: number;
  current_step_id: string | null;
  wake_at: string | null;
  entered_at: string;
  finished_at: string | null;
  exit_reason: string | null;
}

const STATUSES = ["active", "completed", "exited", "failed"] as const;

/** The automation's runs, newest first (the latest 100), filtered by status. */
export function RunsTab({ automationId }: { automationId: number }) {
  const [status, setStatus] = useState("");
  const runs = useApi<{ data: Run[] }>(`/api/automations/${automationId}/runs${query({ status, limit: 100 })}`);
  const list = runs.data?.data;
  return (
    <section aria-label="Runs">
      <div className="filters">
        <div className="fb-field fb-inline">
          <label className="fb-field-label" htmlFor="runs-status">
            Status
          </label>
          <select id="runs-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={runs.error} />
      {runs.loading && !list ? <Loading /> : null}
      {list && list.length === 0 ? <EmptyState title={status ? `No ${status} runs` : "No runs yet"}>Runs appear when contacts enter the automation.</EmptyState> : null}
      {list && list.length > 0 ? (
        <DataTable caption="Runs" columns={["Run", "Contact", "Status", "Version", "Current step", "Wakes", "Entered", "Finished", "Exit reason"]}>
          {list.map((r) => (
            <tr key={r.id} data-testid={`run-${r.id}`}>
              <td className="num">{r.id}</td>
              <td>
                <Link to={`/contacts/${encodeURIComponent(r.contact_id)}`} className="mono">
                  {r.contact_id}
                </Link>
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>v{r.version}</td>
              <td>{r.current_step_id ?? "—"}</td>
              <td>{formatDateTime(r.wake_at)}</td>
              <td>{formatDateTime(r.entered_at)}</td>
              <td>{formatDateTime(r.finished_at)}</td>
              <td>{r.exit_reason ? reasonText(r.exit_reason) : "—"}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
