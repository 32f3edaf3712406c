import { useRef, useState } from "react";

/**
 * The confirm step of a modal `<dialog>`: runs `action`, closes the dialog when it succeeds,
 * and otherwise keeps it open with the error, so the user can retry or cancel.
 */
export function useDialogAction(action: () => Promise<unknown>) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await action();
      dialog.current?.close();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return { dialog, busy, error, setError, confirm, close: () => dialog.current?.close() };
}
