import { type FormEvent, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, query } from "../api/client.ts";
import type { OutboxMessage } from "../api/email.ts";
import { DataTable } from "../components/DataTable.tsx";
import { FormField } from "../components/FormField.tsx";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { SandboxedHtml } from "../components/SandboxedHtml.tsx";
import { formatDateTime } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";

function MessageDetail({ message }: { message: OutboxMessage }) {
  return (
    <article className="panel outbox-detail" aria-labelledby="message-subject">
      <h2 id="message-subject">{message.subject}</h2>
      <dl className="meta">
        <dt>From</dt>
        <dd>{message.from}</dd>
        <dt>To</dt>
        <dd>{message.to}</dd>
        <dt>Date</dt>
        <dd>{formatDateTime(message.created_at)}</dd>
      </dl>
      <h3>HTML</h3>
      <SandboxedHtml html={message.html} title={`HTML of “${message.subject}”`} />
      <h3>Text</h3>
      <pre className="text-part">{message.text}</pre>
      <h3>Headers</h3>
      <DataTable caption="Headers" className="headers-table" columns={["Header", "Value"]}>
        {Object.entries(message.headers).map(([name, value]) => (
          <tr key={name}>
            <th scope="row">
              <code>{name}</code>
            </th>
            <td className="mono break">{value}</td>
          </tr>
        ))}
      </DataTable>
    </article>
  );
}

type OutboxPageData = { data: OutboxMessage[]; next_cursor: string | null };

/** What the capture transport stored instead of sending: every email, newest first, 50 at a time ("Load more"). */
export function OutboxPage() {
  const [params, setParams] = useSearchParams();
  const to = params.get("to") ?? "";
  const selectedId = Number(params.get("id") ?? 0);
  const [toInput, setToInput] = useState(to);
  const path = `/api/outbox/messages${query({ to, limit: 50 })}`;
  const messages = useApi<OutboxPageData>(path);
  // Older pages belong to the filter they were loaded with.
  const [more, setMore] = useState<{ path: string; rows: OutboxMessage[]; cursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const extra = more?.path === path ? more : null;
  const rows = useMemo(() => {
    const head = messages.data?.data;
    if (!head) return undefined;
    const seen = new Set(head.map((m) => m.id));
    return [...head, ...(extra?.rows ?? []).filter((m) => !seen.has(m.id))];
  }, [messages.data, extra]);
  const cursor = extra ? extra.cursor : (messages.data?.next_cursor ?? null);
  const selected = rows?.find((m) => m.id === selectedId) ?? null;

  async function loadMore() {
    if (!cursor) return;
    setBusy(true);
    setMoreError(null);
    try {
      const page = await api<OutboxPageData>("GET", `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(cursor)}`);
      setMore({ path, rows: [...(extra?.rows ?? []), ...page.data], cursor: page.next_cursor });
    } catch (err) {
      setMoreError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  }

  function filter(e: FormEvent) {
    e.preventDefault();
    setParams(query({ to: toInput.trim() }));
  }

  const select = (id: number) => setParams(query({ to, id }));

  return (
    <>
      <PageHeader
        title="Outbox"
        description="Emails captured by the capture transport: nothing leaves this machine. Set MAILWRIGHT_SMTP_URL to send for real."
      />
      <form className="filters" role="search" aria-label="Filter outbox" onSubmit={filter}>
        <FormField label="Recipient">
          <input type="email" value={toInput} onChange={(e) => setToInput(e.target.value)} placeholder="exact address" />
        </FormField>
        <button type="submit">Filter</button>
        {to ? (
          <button
            type="button"
            onClick={() => {
              setToInput("");
              setParams("");
            }}
          >
            Show all
          </button>
        ) : null}
      </form>
      <ErrorNotice error={messages.error} />
      <ErrorNotice error={moreError} />
      {messages.loading && !rows ? <Loading /> : null}
      {rows && rows.length === 0 ? (
        <EmptyState title={to ? `No emails to ${to}` : "No emails captured yet"}>
          <p>
            Emails appear here when an active automation sends one, or when you send a test from a <Link to="/templates">template</Link>.
            Add a contact that enters an <Link to="/automations">automation</Link> to see its first email.
          </p>
        </EmptyState>
      ) : null}
      {rows && rows.length > 0 ? (
        <div className="outbox-grid">
          <div className="message-column">
            <ul className="message-list" aria-label="Captured emails">
              {rows.map((m) => (
                <li key={m.id}>
                  <button
                    type="button"
                    className={`message-item${m.id === selected?.id ? " selected" : ""}`}
                    aria-current={m.id === selected?.id ? "true" : undefined}
                    onClick={() => select(m.id)}
                  >
                    <span className="message-subject">{m.subject}</span>
                    <span className="message-meta">
                      {m.to} · {formatDateTime(m.created_at)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {cursor ? (
              <button type="button" onClick={loadMore} disabled={busy}>
                Load more
              </button>
            ) : null}
          </div>
          {selected ? (
            <MessageDetail message={selected} />
          ) : (
            <p className="panel muted">Choose an email to see its HTML, text part and headers.</p>
          )}
        </div>
      ) : null}
    </>
  );
}
