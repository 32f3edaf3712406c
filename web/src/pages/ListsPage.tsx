import { useState } from "react";
import { Link } from "react-router";
import { api } from "../api/client.ts";
import type { ContactList } from "../api/contacts.ts";
import { CreateForm } from "../components/CreateForm.tsx";
import { ACTIONS_COLUMN, DataTable } from "../components/DataTable.tsx";
import { FormField } from "../components/FormField.tsx";
import { NamedRowActions } from "../components/NamedRowActions.tsx";
import { EmptyState, ErrorNotice, Loading, PageHeader } from "../components/PageState.tsx";
import { useApi } from "../lib/use-api.ts";
import { useFormSubmit } from "../lib/use-form-submit.ts";

/** The form shows only the name, so only a name error stays by the field; others are the form's error. */
const SHOWN = ["name"];

export function ListsPage() {
  const lists = useApi<ContactList[]>("/api/contacts/lists");
  const [name, setName] = useState("");
  const { errors, error, submit } = useFormSubmit(SHOWN);

  const create = () =>
    submit(async () => {
      await api("POST", "/api/contacts/lists", { name });
      setName("");
      lists.reload();
    });

  const rows = lists.data;
  return (
    <>
      <PageHeader
        title="Lists"
        description="Static groups of contacts. Automations can start when a contact joins a list, add or remove contacts, and branch on membership."
      />
      <CreateForm label="Create list" onSubmit={create}>
        <FormField label="New list name" errors={errors["name"]}>
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="e.g. Customers" />
        </FormField>
      </CreateForm>
      <ErrorNotice error={error ?? lists.error} />
      {lists.loading && !rows ? <Loading /> : null}
      {rows && rows.length === 0 ? (
        <EmptyState title="No lists yet">
          <p>
            Create a list such as “Customers” or “Newsletter”, then add contacts to it from a contact's page, the Add contact form or an
            import.
          </p>
        </EmptyState>
      ) : null}
      {rows && rows.length > 0 ? (
        <DataTable caption="Lists" columns={["Name", ACTIONS_COLUMN]}>
          {rows.map((l) => (
            <tr key={l.id}>
              <td>
                <Link to={`/contacts?list_id=${l.id}`}>{l.name}</Link>
              </td>
              <NamedRowActions name={l.name} noun="list" path={`/api/contacts/lists/${l.id}`} rename onChange={lists.reload}>
                <p>Contacts stay; they are only no longer in this list. Automations that use the list will fail validation.</p>
              </NamedRowActions>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
