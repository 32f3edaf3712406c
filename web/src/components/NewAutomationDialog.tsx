import { type FormEvent, useRef, useState } from "react";
import { useNavigate } from "react-router";
import type { Definition } from "../../../src/core/flow/schema.ts";
import type { Automation } from "../api/automations.ts";
import { api } from "../api/client.ts";
import { AlertMessage } from "./AlertMessage.tsx";
import { FormField } from "./FormField.tsx";

/** A new automation starts as an empty draft: drafts may be incomplete until activation. */
function emptyDraft(name: string): Definition {
  return { name, trigger: { type: "contact_created" }, entry_step_id: null, steps: [], settings: { reentry_hours: 24 } };
}

/**
 * "New automation" asks for a name first (name → trigger → steps, as Mailtrap does); nothing
 * is created until the user confirms, so cancelled clicks leave no "Untitled" drafts behind.
 * The builder then opens on the trigger.
 */
export function NewAutomationButton({ primary = true }: { primary?: boolean }) {
  const navigate = useNavigate();
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function open() {
    setName("");
    setError(null);
    dialog.current?.showModal();
  }

  async function create(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError("Give the automation a name.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { data } = await api<{ data: Automation }>("POST", "/api/automations", emptyDraft(trimmed));
      dialog.current?.close();
      navigate(`/automations/${data.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className={primary ? "button-primary" : undefined} onClick={open}>
        New automation
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="new-automation-title">
        <form onSubmit={(e) => void create(e)} noValidate>
          <h2 id="new-automation-title">New automation</h2>
          <p className="muted">Name it for what it does; next you pick the trigger that lets contacts in, then add its steps.</p>
          <FormField label="Name" hint="For example: Welcome series">
            <input value={name} maxLength={255} autoFocus onChange={(e) => setName(e.target.value)} />
          </FormField>
          <AlertMessage message={error} />
          <div className="dialog-actions">
            <button type="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="button-primary" disabled={busy}>
              {busy ? "Creating…" : "Create"}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
