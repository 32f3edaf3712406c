import type { ReactNode } from "react";
import { useDialogAction } from "../lib/use-dialog-action.ts";
import { DialogActions } from "./DialogActions.tsx";

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
  const { dialog, busy, error, setError, confirm, close } = useDialogAction(onConfirm);

  return (
    <>
      <button
        type="button"
        className={className ?? (danger ? "button-danger" : undefined)}
        aria-label={ariaLabel}
        onClick={() => dialog.current?.showModal()}
      >
        {label}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-label={title} onClose={() => setError(null)}>
        <h2>{title}</h2>
        {children}
        <DialogActions error={error} busy={busy} danger={danger} confirmLabel={confirmLabel} onCancel={close} onConfirm={confirm} />
      </dialog>
    </>
  );
}
