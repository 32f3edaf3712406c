import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import type { RenderedEmail } from "../api/email.ts";
import { useDebounced } from "../lib/use-debounced.ts";
import { ErrorNotice } from "./PageState.tsx";
import { SandboxedHtml } from "./SandboxedHtml.tsx";

interface Parts {
  subject: string;
  body_html: string;
  body_text: string;
}

/**
 * The server renders the editor's current (unsaved) text for the chosen contact, a moment
 * after typing stops; the last good render stays visible while a new one is on its way.
 */
export function TemplatePreview({ templateId, draft, contactId }: { templateId: string; draft: Parts; contactId: string }) {
  return (
    <EmailPreview
      path={`/api/email_templates/${templateId}/preview`}
      body={{
        email_template: { subject: draft.subject, body_html: draft.body_html, body_text: draft.body_text },
        ...(contactId ? { contact_id: contactId } : {}),
      }}
    />
  );
}

/**
 * The rendering behind every preview: `body` POSTed to `path` (a template's preview, or an
 * inline email's, `/api/email_preview`) a moment after it stops changing.
 */
export function EmailPreview({ path, body, label = "HTML preview" }: { path: string; body: unknown; label?: string }) {
  const request = useDebounced(JSON.stringify(body), 400);
  const [rendered, setRendered] = useState<RenderedEmail | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    setBusy(true);
    api<{ data: RenderedEmail }>("POST", path, JSON.parse(request) as unknown).then(
      (answer) => {
        if (!current) return;
        setRendered(answer.data);
        setError(null);
        setBusy(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(err instanceof Error ? err : new Error(String(err)));
        setBusy(false);
      },
    );
    return () => {
      current = false;
    };
  }, [path, request]);

  return (
    <div className="template-preview" aria-busy={busy}>
      <ErrorNotice error={error} title="Cannot render" />
      {rendered ? (
        <>
          <p className="preview-subject">
            <span className="muted">Subject: </span>
            <strong data-testid="preview-subject">{rendered.subject}</strong>
          </p>
          <SandboxedHtml html={rendered.html} title={label} />
          <details>
            <summary>Text part</summary>
            <pre className="text-part">{rendered.text}</pre>
          </details>
        </>
      ) : null}
    </div>
  );
}
