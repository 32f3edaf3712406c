import { type FormEvent, useRef, useState } from "react";
import type { EmailConfig } from "../../../../src/core/flow/schema.ts";
import { api, ApiError } from "../../api/client.ts";
import { AlertMessage } from "../../components/AlertMessage.tsx";
import { EmailPreview } from "../../components/TemplatePreview.tsx";

/**
 * An email written in the step (no template) gets the template editor's preview and test
 * send: the unsaved parts rendered by the server with sample values (`POST /api/email_preview`),
 * in a dialog wide enough to read, and a test to any address.
 */
export function InlineEmailPreview({ email }: { email: EmailConfig }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState("");
  const [sending, setSending] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const parts = { subject: email.subject ?? "", html: email.html ?? "", text: email.text ?? "" };

  function show() {
    setOpen(true);
    setNotice(null);
    setError(null);
    // The dialog is in the tree already; open it once React has drawn its content.
    queueMicrotask(() => dialog.current?.showModal());
  }

  async function sendTest(e: FormEvent) {
    e.preventDefault();
    setSending(true);
    setNotice(null);
    setError(null);
    try {
      const answer = await api<{ data: { to: string } }>("POST", "/api/email_preview/test_send", { to, email: parts });
      setNotice(`Test sent to ${answer.data.to}.`);
    } catch (err) {
      const byField = err instanceof ApiError ? err.fieldErrors : undefined;
      setError(byField?.["to"] ? `Send a test to: ${byField["to"].join(", ")}` : err instanceof Error ? err.message : String(err));
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      <button type="button" className="button-small" onClick={show}>
        Preview and test
      </button>
      <dialog
        ref={dialog}
        className="confirm-dialog fb-preview-dialog"
        aria-labelledby="fb-inline-preview-title"
        onClose={() => setOpen(false)}
      >
        <h2 id="fb-inline-preview-title">Email preview</h2>
        <p className="muted">Rendered by the server with sample values, as a contact would receive it.</p>
        {open ? <EmailPreview path="/api/email_preview" body={{ email: parts }} /> : null}
        <form className="inline-form" onSubmit={(e) => void sendTest(e)} aria-label="Send test">
          <label className="form-field">
            <span className="form-label">Send a test to</span>
            <input type="email" required value={to} onChange={(e) => setTo(e.target.value)} placeholder="you@example.com" />
          </label>
          <button type="submit" disabled={sending}>
            {sending ? "Sending…" : "Send test"}
          </button>
        </form>
        {notice ? (
          <p className="notice notice-success" role="status">
            {notice}
          </p>
        ) : null}
        <AlertMessage message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
      </dialog>
    </>
  );
}
