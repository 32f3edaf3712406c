import { Link } from "react-router";
import type { Trigger } from "../../../src/core/flow/schema.ts";
import type { Automation, AutomationReport } from "../api/automations.ts";
import { api } from "../api/client.ts";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { ACTIONS_COLUMN, DataTable } from "../components/DataTable.tsx";
import { NewAutomationButton } from "../components/NewAutomationDialog.tsx";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { formatDateTime, formatNumber } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";

const TRIGGER_LABELS: Record<Trigger["type"], string> = {
  contact_created: "Contact created",
  contact_field_updated: "Field updated",
  contact_added_to_list: "Added to list",
  contact_removed_from_list: "Removed from list",
  custom_event: "Custom event",
};

function describeTrigger(t: Trigger): string {
  const label = TRIGGER_LABELS[t.type];
  if (t.type === "custom_event" && t.event) return `${label}: ${t.event}`;
  if (t.type === "contact_field_updated" && t.field) return `${label}: ${t.field}`;
  return label;
}

/** Live figures from the automation's report; each row loads its own. */
function ReportCells({ id }: { id: number }) {
  const report = useApi<{ data: AutomationReport }>(`/api/automations/${id}/report`);
  const r = report.data?.data;
  if (report.error) {
    return (
      <td colSpan={3} className="muted">
        Report unavailable: {report.error.message}
      </td>
    );
  }
  return (
    <>
      <td className="num">{r ? formatNumber(r.entered) : "…"}</td>
      <td className="num">{r ? formatNumber(r.active) : "…"}</td>
      <td className="num">{r ? formatNumber(r.completed) : "…"}</td>
    </>
  );
}

export function AutomationsPage() {
  const automations = useApi<{ data: Automation[] }>("/api/automations");
  const list = automations.data?.data;

  return (
    <>
      <PageHeader title="Automations" description="Contacts enter an automation when its trigger fires, then move through its steps.">
        {list && list.length > 0 ? <NewAutomationButton /> : null}
      </PageHeader>
      <ErrorNotice error={automations.error} />
      {automations.loading && !list ? <Loading /> : null}
      {list && list.length === 0 ? (
        <EmptyState title="Build an automation, activate it, then add contacts">
          <ol className="steps-list">
            <li>
              <Link to="/templates">Write an email template</Link> for the first message.
            </li>
            <li>
              Build the automation: pick a trigger such as “Contact created”, then add emails, delays and conditions on the canvas, and
              activate it.
            </li>
            <li>
              <Link to="/contacts">Add contacts</Link> by hand, or <Link to="/contacts/import">import a CSV file</Link>. Only what happens
              after activation triggers it: contacts that already existed do not enter.
            </li>
          </ol>
          <NewAutomationButton />
        </EmptyState>
      ) : null}
      {list && list.length > 0 ? (
        <DataTable
          caption="Automations"
          columns={[
            "Name",
            "Status",
            "Trigger",
            { label: "Version", num: true },
            { label: "Entered", num: true },
            { label: "Active", num: true },
            { label: "Completed", num: true },
            "Updated",
            ACTIONS_COLUMN,
          ]}
        >
          {list.map((a) => (
            <tr key={a.id}>
              <td>
                <Link to={`/automations/${a.id}`}>{a.name}</Link>
              </td>
              <td>
                <StatusBadge status={a.status} />
              </td>
              <td>{describeTrigger(a.trigger)}</td>
              <td className="num">v{a.version}</td>
              <ReportCells id={a.id} />
              <td>{formatDateTime(a.updated_at)}</td>
              <td className="row-actions">
                {/* Only a draft (never activated, so no contact ever ran it) is deleted from here. */}
                {a.status === "draft" ? (
                  <ConfirmButton
                    label="Delete"
                    ariaLabel={`Delete ${a.name}`}
                    title={`Delete the draft “${a.name}”?`}
                    onConfirm={() => api("DELETE", `/api/automations/${a.id}`).then(automations.reload)}
                  >
                    <p>It was never activated, so no contact has run it. It stops counting against your automation limit.</p>
                  </ConfirmButton>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
