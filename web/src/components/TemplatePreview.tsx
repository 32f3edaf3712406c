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
  const request = useDebounced(
    JSON.stringify({
      email_template: { subject: draft.subject, body_html: draft.body_html, body_text: draft.body_text },
      ...(contactId ? { contact_id: contactId } : {}),
    }),
    400,
  );
  const [rendered, setRendered] = useState<RenderedEmail | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    setBusy(true);
    api<{ data: RenderedEmail }>("POST", `/api/email_templates/${templateId}/preview`, JSON.parse(request) as unknown).then(
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
  }, [templateId, request]);

  return (
    <div className="template-preview" aria-busy={busy}>
      <ErrorNotice error={error} title="Cannot render" />
      {rendered ? (
        <>
          <p className="preview-subject">
            <span className="muted">Subject: </span>
            <strong data-testid="preview-subject">{rendered.subject}</strong>
          </p>
          <SandboxedHtml html={rendered.html} title="HTML preview" />
          <details>
            <summary>Text part</summary>
            <pre className="text-part">{rendered.text}</pre>
          </details>
        </>
      ) : null}
    </div>
  );
}
