import { type ReactNode, useRef, useState } from "react";

/**
 * A button that asks before it acts, in a native modal `<dialog>` (focus is trapped and
 * Escape cancels, for free). The action's error, if any, is shown inside the dialog.
 */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel = label,
  onConfirm,
  danger = true,
  className,
  ariaLabel,
}: {
  label: string;
  title: string;
  children?: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<unknown>;
  danger?: boolean;
  className?: string;
  ariaLabel?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      dialog.current?.close();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className={className ?? (danger ? "button-danger" : undefined)} aria-label={ariaLabel} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-label={title} onClose={() => setError(null)}>
        <h2>{title}</h2>
        {children}
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" className={danger ? "button-danger" : "button-primary"} onClick={confirm} disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
