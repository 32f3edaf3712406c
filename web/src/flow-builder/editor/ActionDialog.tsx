import { type ReactNode, useEffect } from "react";
import { DialogActions } from "../../components/DialogActions.tsx";
import { useDialogAction } from "../../lib/use-dialog-action.ts";

/**
 * A native modal `<dialog>` (focus trapped, Escape cancels) that runs `onConfirm` and shows
 * its error inside; `onConfirm` returning false keeps the dialog open without an error.
 */
export function ActionDialog({
  title,
  confirmLabel,
  danger = false,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}) {
  const { dialog, busy, error, confirm, close } = useDialogAction(onConfirm);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, [dialog]);

  return (
    <dialog ref={dialog} className="confirm-dialog fb-dialog" aria-labelledby="fb-dialog-title" onClose={onClose}>
      <h2 id="fb-dialog-title">{title}</h2>
      {children}
      <DialogActions
        error={error}
        busy={busy}
        danger={danger}
        confirmLabel={busy ? "Working…" : confirmLabel}
        onCancel={close}
        onConfirm={confirm}
      />
    </dialog>
  );
}
