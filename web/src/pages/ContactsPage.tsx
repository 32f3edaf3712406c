import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, query } from "../api/client.ts";
import type { Contact, ContactField, ContactList, ContactPage } from "../api/contacts.ts";
import { AddContactForm } from "../components/AddContactForm.tsx";
import { DataTable } from "../components/DataTable.tsx";
import { FormField } from "../components/FormField.tsx";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { formatDateTime, formatValue } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";
import { useDebounced } from "../lib/use-debounced.ts";

const PAGE_SIZE = 25;

/**
 * The contacts matching `filters` (a query string without paging), newest first, a page at
 * a time: "Load more" appends the next page.
 */
function useContactPages(filters: string) {
  const base = `/api/contacts${filters}${filters ? "&" : "?"}limit=${PAGE_SIZE}`;
  const first = useApi<ContactPage>(base);
  // Pages after the first, fetched by "Load more"; dropped whenever the first page is fetched again.
  const [more, setMore] = useState<{ of: ContactPage; contacts: Contact[]; cursor: string | null } | null>(null);
  const [moreLoading, setMoreLoading] = useState(false);
  const [moreError, setMoreError] = useState<Error | null>(null);
  const extra = more !== null && more.of === first.data ? more : null;
  const cursor = extra ? extra.cursor : (first.data?.next_cursor ?? null);

  async function loadMore() {
    if (!cursor || !first.data) return;
    const of = first.data;
    setMoreLoading(true);
    try {
      const page = await api<ContactPage>("GET", `${base}&cursor=${encodeURIComponent(cursor)}`);
      setMore((prev) => ({ of, contacts: [...(prev?.of === of ? prev.contacts : []), ...page.data], cursor: page.next_cursor }));
      setMoreError(null);
    } catch (err) {
      setMoreError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setMoreLoading(false);
    }
  }

  return {
    contacts: [...(first.data?.data ?? []), ...(extra?.contacts ?? [])],
    cursor,
    loading: first.loading || moreLoading,
    error: first.error ?? moreError,
    loadMore,
    reload: first.reload,
  };
}

export function ContactsPage() {
  // A list's page links here with ?list_id= to show its members.
  const [params] = useSearchParams();
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState("");
  const [listId, setListId] = useState(params.get("list_id") ?? "");
  const [field, setField] = useState("");
  const [value, setValue] = useState("");
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<Contact | null>(null);
  const fields = useApi<ContactField[]>("/api/contacts/fields");
  const lists = useApi<ContactList[]>("/api/contacts/lists");
  // Typing in the search box should not send a request per key.
  const filters = useDebounced(query({ search: search.trim(), status, list_id: listId, field, value: field ? value : "" }), 300);
  const pages = useContactPages(filters);
  const listNames = new Map((lists.data ?? []).map((l) => [l.id, l.name]));
  const filtered = filters !== "";

  return (
    <>
      <PageHeader
        title="Contacts"
        description="Everyone you can email. New contacts start every automation triggered by “Contact created”."
      >
        <Link to="/contacts/import" className="button">
          Import CSV
        </Link>
        <button type="button" className="button-primary" onClick={() => setAdding(true)} disabled={adding}>
          Add contact
        </button>
      </PageHeader>
      {added ? (
        <p className="notice notice-success" role="status">
          Added <Link to={`/contacts/${added.id}`}>{added.email}</Link>.
        </p>
      ) : null}
      {adding ? (
        <AddContactForm
          fields={fields.data ?? []}
          lists={lists.data ?? []}
          onCancel={() => setAdding(false)}
          onCreated={(c) => {
            setAdding(false);
            setAdded(c);
            pages.reload();
          }}
        />
      ) : null}

      <form className="filters" role="search" aria-label="Filter contacts" onSubmit={(e) => e.preventDefault()}>
        <FormField label="Search by email">
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. jane@" />
        </FormField>
        <FormField label="Status">
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any</option>
            <option value="subscribed">Subscribed</option>
            <option value="unsubscribed">Unsubscribed</option>
          </select>
        </FormField>
        <FormField label="List">
          <select value={listId} onChange={(e) => setListId(e.target.value)}>
            <option value="">Any</option>
            {(lists.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Field">
          <select value={field} onChange={(e) => setField(e.target.value)}>
            <option value="">Any</option>
            {(fields.data ?? []).map((f) => (
              <option key={f.id} value={f.merge_tag}>
                {f.name}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Field value">
          <input value={value} onChange={(e) => setValue(e.target.value)} disabled={!field} />
        </FormField>
      </form>

      <ErrorNotice error={pages.error ?? fields.error ?? lists.error} />
      {pages.loading && pages.contacts.length === 0 ? <Loading /> : null}
      {!pages.loading && !pages.error && pages.contacts.length === 0 ? (
        filtered ? (
          <EmptyState title="No contact matches these filters">
            <p>Clear a filter, or search by part of an email address.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No contacts yet">
            <p>
              Add your first contact with <strong>Add contact</strong>, or <Link to="/contacts/import">import a CSV file</Link>. An
              automation welcomes only the contacts added after it is activated, so <Link to="/automations">build and activate one</Link>{" "}
              first.
            </p>
          </EmptyState>
        )
      ) : null}
      {pages.contacts.length > 0 ? (
        <DataTable caption="Contacts" columns={["Email", "Status", "Lists", "Fields", "Added"]}>
          {pages.contacts.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/contacts/${c.id}`}>{c.email}</Link>
              </td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              <td>{c.list_ids.map((id) => listNames.get(id) ?? `#${id}`).join(", ") || "—"}</td>
              <td className="truncate">
                {Object.entries(c.fields)
                  .map(([k, v]) => `${k}: ${formatValue(v)}`)
                  .join(" · ") || "—"}
              </td>
              <td>{formatDateTime(c.created_at)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {pages.cursor ? (
        <div className="load-more">
          <button type="button" onClick={pages.loadMore} disabled={pages.loading}>
            {pages.loading ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
    </>
  );
}
