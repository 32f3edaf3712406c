import { AlertMessage } from "./AlertMessage.tsx";

/** The foot of a confirm dialog: the action's error, then Cancel and the confirming button. */
export function DialogActions({
  error,
  busy,
  danger,
  confirmLabel,
  onCancel,
  onConfirm,
}: {
  error: string | null;
  busy: boolean;
  danger: boolean;
  confirmLabel: string;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <>
      <AlertMessage message={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className={danger ? "button-danger" : "button-primary"} onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </>
  );
}
