import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { ApiError, api } from "../api/client.ts";
import type { ContactList } from "../api/contacts.ts";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { FormField } from "../components/FormField.tsx";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { RenameForm } from "../components/RenameForm.tsx";
import { useApi } from "../lib/use-api.ts";

export function ListsPage() {
  const lists = useApi<ContactList[]>("/api/contacts/lists");
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<string[] | undefined>();
  const [error, setError] = useState<Error | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setErrors(undefined);
    setError(null);
    try {
      await api("POST", "/api/contacts/lists", { name });
      setName("");
      lists.reload();
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors["name"]) setErrors(err.fieldErrors["name"]);
      else setError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  const rows = lists.data;
  return (
    <>
      <PageHeader title="Lists" description="Static groups of contacts. Automations can start when a contact joins a list, add or remove contacts, and branch on membership." />
      <form className="panel inline-form" onSubmit={create} aria-label="Create list">
        <FormField label="New list name" errors={errors}>
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="e.g. Customers" />
        </FormField>
        <button type="submit" className="button-primary">
          Create list
        </button>
      </form>
      <ErrorNotice error={error ?? lists.error} />
      {lists.loading && !rows ? <Loading /> : null}
      {rows && rows.length === 0 ? (
        <EmptyState title="No lists yet">
          <p>Create a list such as “Customers” or “Newsletter”, then add contacts to it from a contact's page, the Add contact form or an import.</p>
        </EmptyState>
      ) : null}
      {rows && rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Lists</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => (
                <tr key={l.id}>
                  <td>
                    <Link to={`/contacts?list_id=${l.id}`}>{l.name}</Link>
                  </td>
                  <td className="row-actions">
                    <RenameForm current={l.name} label={`New name for ${l.name}`} onSave={(n) => api("PATCH", `/api/contacts/lists/${l.id}`, { name: n }).then(lists.reload)} />
                    <ConfirmButton label="Delete" ariaLabel={`Delete ${l.name}`} title={`Delete the list “${l.name}”?`} onConfirm={() => api("DELETE", `/api/contacts/lists/${l.id}`).then(lists.reload)}>
                      <p>Contacts stay; they are only no longer in this list. Automations that use the list will fail validation.</p>
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
