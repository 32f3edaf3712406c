import { useState } from "react";
import { ApiError } from "../api/client.ts";

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * A form's submit state: a 422 whose field errors the form can show goes next to the fields,
 * anything else becomes one error for the whole form. `shown` names the attributes the form
 * displays; without it any field error counts, so a 422 about a field the form lacks still
 * surfaces as the form's error instead of vanishing.
 */
export function useFormSubmit(shown?: readonly string[]) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  function clear() {
    setErrors({});
    setError(null);
  }

  /** Runs `action` with fresh errors; true when it succeeded. Never throws. */
  async function submit(action: () => Promise<unknown>): Promise<boolean> {
    clear();
    setBusy(true);
    try {
      await action();
      return true;
    } catch (err) {
      const fieldErrors = err instanceof ApiError ? err.fieldErrors : {};
      const showable = shown ? shown.some((k) => fieldErrors[k]) : Object.keys(fieldErrors).length > 0;
      if (showable) setErrors(fieldErrors);
      else setError(asError(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { errors, error, busy, submit, clear, setErrors };
}
