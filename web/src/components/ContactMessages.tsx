import { Link } from "react-router";
import type { MessageRow } from "../api/email.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";
import { DataTable } from "./DataTable.tsx";
import { ErrorNotice, Loading } from "./PageState.tsx";
import { StatusBadge } from "./StatusBadge.tsx";

function engagement(m: MessageRow): string {
  const parts = [
    m.opened_at ? `opened ${formatDateTime(m.opened_at)}` : null,
    m.clicked_at ? `clicked ${formatDateTime(m.clicked_at)}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "—";
}

/** The emails automations produced for one contact (GET /api/messages?contact=). */
export function ContactMessages({ contactId }: { contactId: string }) {
  const messages = useApi<{ data: MessageRow[] }>(`/api/messages?contact=${encodeURIComponent(contactId)}&limit=100`);
  const rows = messages.data?.data;
  return (
    <section className="panel" aria-labelledby="messages-heading">
      <h2 id="messages-heading">Messages</h2>
      <ErrorNotice error={messages.error} />
      {messages.loading && !rows ? <Loading /> : null}
      {rows && rows.length === 0 ? <p className="muted">No emails yet. A “Send email” step of an active automation sends here.</p> : null}
      {rows && rows.length > 0 ? (
        <DataTable caption="Messages" columns={["Subject", "Status", "Sent", "Engagement"]}>
          {rows.map((m) => (
            <tr key={m.id}>
              <td>
                {m.subject ?? <span className="muted">not rendered yet</span>}
                <div className="muted">
                  <Link to={`/runs/${m.run_id}`} aria-label={`See the journey of “${m.subject ?? "this email"}”`}>
                    See the journey
                  </Link>
                </div>
              </td>
              <td>
                <StatusBadge status={m.status} />
                {m.error ? <div className="muted">{m.error}</div> : null}
              </td>
              <td>{formatDateTime(m.sent_at)}</td>
              <td>{engagement(m)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {rows && rows.some((m) => m.status === "sent") ? (
        <p className="muted">
          Captured copies are in the <Link to="/outbox">Outbox</Link>.
        </p>
      ) : null}
    </section>
  );
}
