import { type ChangeEvent, useState } from "react";
import { Link } from "react-router";
import { ApiError, api } from "../api/client.ts";
import type { ContactField, ContactImport, ContactList } from "../api/contacts.ts";
import { DataTable } from "../components/DataTable.tsx";
import { AlertMessage } from "../components/AlertMessage.tsx";
import { FormField } from "../components/FormField.tsx";
import { ListCheckboxes } from "../components/ListCheckboxes.tsx";
import { ErrorNotice, PageHeader } from "../components/PageState.tsx";
import { CsvError, parseCsv } from "../lib/csv.ts";
import { formatNumber } from "../lib/format.ts";
import { type ColumnTarget, type ImportContact, buildContacts, chunk, guessTargets } from "../lib/import-rows.ts";
import { useApi } from "../lib/use-api.ts";

// Small enough that progress moves visibly, far under the API's 50,000 per request.
const CHUNK_SIZE = 1000;
const POLL_MS = 400;

interface Progress {
  done: number;
  total: number;
  created: number;
  updated: number;
  overLimit: number;
  finished: boolean;
}

/** Per-contact problems of a refused import: `{"errors": [{"email", "errors": {attr: [msg]}}]}`. */
function importProblems(err: unknown): string[] {
  if (!(err instanceof ApiError)) return [];
  const errors = (err.body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map(
    (e: { email?: string; errors?: Record<string, string[]> }) =>
      `${e.email ?? "?"}: ${Object.entries(e.errors ?? {})
        .map(([k, v]) => `${k} ${v.join(", ")}`)
        .join("; ")}`,
  );
}

const targetKey = (t: ColumnTarget) => (t.kind === "field" ? `field:${t.mergeTag}` : t.kind);
const parseTarget = (key: string): ColumnTarget =>
  key.startsWith("field:") ? { kind: "field", mergeTag: key.slice(6) } : key === "email" ? { kind: "email" } : { kind: "skip" };

async function waitForImport(id: number): Promise<ContactImport> {
  for (;;) {
    const status = await api<ContactImport>("GET", `/api/contacts/imports/${id}`);
    if (status.status === "finished" || status.status === "failed") return status;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export function ImportPage() {
  const fields = useApi<ContactField[]>("/api/contacts/fields");
  const lists = useApi<ContactList[]>("/api/contacts/lists");
  const [fileName, setFileName] = useState<string | null>(null);
  const [rows, setRows] = useState<string[][] | null>(null);
  const [hasHeader, setHasHeader] = useState(true);
  const [targets, setTargets] = useState<ColumnTarget[]>([]);
  const [listIds, setListIds] = useState<number[]>([]);
  const [parseError, setParseError] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [running, setRunning] = useState(false);

  const header = rows && hasHeader ? (rows[0] ?? []) : [];
  const body = rows ? (hasHeader ? rows.slice(1) : rows) : [];
  const width = rows ? Math.max(0, ...rows.map((r) => r.length)) : 0;
  const emailColumns = targets.filter((t) => t.kind === "email").length;

  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setParseError(null);
    setProgress(null);
    setProblems([]);
    setRows(null);
    if (!file) return;
    setFileName(file.name);
    try {
      const parsed = parseCsv(await file.text());
      if (parsed.length === 0) throw new CsvError("The file has no rows");
      setRows(parsed);
      const cols = Math.max(...parsed.map((r) => r.length));
      const guessed = guessTargets(parsed[0] ?? [], fields.data ?? []);
      setTargets(Array.from({ length: cols }, (_, i) => guessed[i] ?? { kind: "skip" }));
    } catch (err) {
      setParseError(err instanceof Error ? err.message : String(err));
    }
  }

  async function run() {
    const { contacts, withoutEmail } = buildContacts(body, targets, fields.data ?? [], listIds);
    const chunks = chunk<ImportContact>(contacts, CHUNK_SIZE);
    const p: Progress = { done: 0, total: contacts.length, created: 0, updated: 0, overLimit: 0, finished: false };
    setProgress({ ...p });
    setRunning(true);
    setError(null);
    setProblems([]);
    try {
      for (const part of chunks) {
        const started = await api<ContactImport>("POST", "/api/contacts/imports", { contacts: part });
        const result = await waitForImport(started.id);
        if (result.status === "failed") throw new Error(`Import ${result.id} failed on the server after ${formatNumber(p.done)} contacts`);
        p.done += part.length;
        p.created += result.created_contacts_count ?? 0;
        p.updated += result.updated_contacts_count ?? 0;
        p.overLimit += result.contacts_over_limit_count ?? 0;
        setProgress({ ...p });
      }
      setProgress({ ...p, finished: true });
      if (withoutEmail > 0) setProblems([`${formatNumber(withoutEmail)} rows had no email and were skipped.`]);
    } catch (err) {
      const list = importProblems(err);
      if (list.length > 0) setProblems(list);
      setError(
        list.length > 0
          ? new Error(
              `The server refused this chunk: ${list.length} contacts are invalid, so none of them was imported. Fix them and import again.`,
            )
          : err instanceof Error
            ? err
            : new Error(String(err)),
      );
    } finally {
      setRunning(false);
    }
  }

  return (
    <>
      <PageHeader
        title="Import contacts"
        description="Add or update many contacts from a CSV file. Existing contacts (same email) are updated."
      >
        <Link to="/contacts" className="button">
          Back to contacts
        </Link>
      </PageHeader>
      <ErrorNotice error={fields.error ?? lists.error} />
      <section className="panel">
        <h2>1. Choose a file</h2>
        <FormField
          label="CSV file"
          hint="The first row usually names the columns, e.g. email,plan. Quoted values may contain commas and line breaks."
        >
          <input type="file" accept=".csv,text/csv,text/plain" onChange={pick} disabled={running} />
        </FormField>
        <label className="checkbox">
          <input type="checkbox" checked={hasHeader} onChange={(e) => setHasHeader(e.target.checked)} disabled={running} />
          The first row is a header
        </label>
        <AlertMessage message={parseError ? `${fileName}: ${parseError}` : null} />
      </section>

      {rows ? (
        <section className="panel">
          <h2>2. Map the columns</h2>
          <p>
            {fileName}: {formatNumber(body.length)} rows. Choose what each column becomes.{" "}
            {fields.data?.length === 0 ? <Link to="/fields">Create fields</Link> : null}
          </p>
          <DataTable caption="Column mapping" columns={["Column", "First values", "Import as"]}>
            {Array.from({ length: width }, (_, i) => {
              const name = header[i] || `Column ${i + 1}`;
              return (
                <tr key={i}>
                  <th scope="row">{name}</th>
                  <td className="truncate">
                    {body
                      .slice(0, 3)
                      .map((r) => r[i] ?? "")
                      .join(", ")}
                  </td>
                  <td>
                    <select
                      aria-label={`Import column ${name} as`}
                      value={targetKey(targets[i] ?? { kind: "skip" })}
                      disabled={running}
                      onChange={(e) => setTargets((prev) => prev.map((t, j) => (j === i ? parseTarget(e.target.value) : t)))}
                    >
                      <option value="skip">Skip</option>
                      <option value="email">Email</option>
                      {(fields.data ?? []).map((f) => (
                        <option key={f.id} value={`field:${f.merge_tag}`}>
                          Field: {f.name}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </DataTable>
          <ListCheckboxes
            legend="Add every imported contact to these lists"
            lists={lists.data ?? []}
            selected={listIds}
            onChange={setListIds}
          />
          {emailColumns !== 1 ? (
            <p className="notice notice-warning" role="status">
              Map exactly one column to Email.
            </p>
          ) : null}
          <button type="button" className="button-primary" onClick={run} disabled={running || emailColumns !== 1 || body.length === 0}>
            Import {formatNumber(body.length)} rows
          </button>
        </section>
      ) : null}

      {progress ? (
        <section className="panel" aria-labelledby="progress-heading">
          <h2 id="progress-heading">3. Progress</h2>
          <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label="Import progress" />
          <p role="status">
            {progress.finished
              ? "Import finished: "
              : `Imported ${formatNumber(progress.done)} of ${formatNumber(progress.total)} contacts… `}
            {formatNumber(progress.created)} created, {formatNumber(progress.updated)} updated
            {progress.overLimit > 0 ? `, ${formatNumber(progress.overLimit)} over the contacts limit` : ""}.
          </p>
          {progress.finished ? (
            <p>
              <Link to="/contacts">See the contacts</Link>
            </p>
          ) : null}
        </section>
      ) : null}
      <ErrorNotice error={error} />
      {problems.length > 0 ? (
        <ul className="problem-list">
          {problems.slice(0, 50).map((p, i) => (
            <li key={i}>{p}</li>
          ))}
          {problems.length > 50 ? <li>…and {formatNumber(problems.length - 50)} more</li> : null}
        </ul>
      ) : null}
    </>
  );
}
