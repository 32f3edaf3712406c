import { type FormEvent, useState } from "react";
import { ApiError } from "../api/client.ts";

/** "Rename" → an inline input with Save / Cancel; the server's message stays next to it. */
export function RenameForm({
  current,
  label,
  attribute = "name",
  onSave,
}: {
  current: string;
  label: string;
  attribute?: string;
  onSave: (name: string) => Promise<unknown>;
}) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await onSave(value);
      setEditing(false);
      setError(null);
    } catch (err) {
      const messages = err instanceof ApiError ? err.fieldErrors[attribute] : undefined;
      setError(messages ? `${attribute} ${messages.join(", ")}` : err instanceof Error ? err.message : String(err));
    }
  }

  if (!editing) {
    return (
      <button
        type="button"
        aria-label={`Rename ${current}`}
        onClick={() => {
          setValue(current);
          setEditing(true);
        }}
      >
        Rename
      </button>
    );
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <input aria-label={label} value={value} onChange={(e) => setValue(e.target.value)} autoFocus required />
      <button type="submit" className="button-primary">
        Save
      </button>
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error ? (
        <span className="form-error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
