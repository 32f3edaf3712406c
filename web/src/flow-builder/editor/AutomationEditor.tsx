import "@xyflow/react/dist/style.css";
import "./flow-builder.css";
import "../canvas/flow-canvas.css";
import { useCallback, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { Definition } from "../../../../src/core/flow/schema.ts";
import { ErrorNotice, Loading } from "../../components/PageState.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { BuilderTab } from "./BuilderTab.tsx";
import { collectIssues } from "../model/issues.ts";
import { LeaveGuard } from "./LeaveGuard.tsx";
import { PublishBar } from "./PublishBar.tsx";
import { ReportsTab } from "./ReportsTab.tsx";
import { RunsTab } from "./RunsTab.tsx";
import { StatusActions } from "./StatusActions.tsx";
import { definitionOf, type DraftState, useAutomationDraft } from "./use-automation-draft.ts";
import { useCatalog } from "./use-catalog.ts";
import { VersionsTab } from "./VersionsTab.tsx";

const TABS = [
  { id: "builder", label: "Builder" },
  { id: "reports", label: "Reports" },
  { id: "runs", label: "Runs" },
  { id: "versions", label: "Versions" },
] as const;
type Tab = (typeof TABS)[number]["id"];

function SaveIndicator({ state }: { state: DraftState }) {
  const { automation, save, dirty, flush } = state;
  if (automation?.status !== "draft") return null;
  return (
    <span className={`fb-save fb-save-${save.kind}`} role="status" data-testid="save-state">
      {save.kind === "error" ? (
        <>
          Not saved: {save.error.message}{" "}
          <button type="button" className="button-small" onClick={() => void flush().catch(() => undefined)}>
            Retry
          </button>
        </>
      ) : save.kind === "saving" || dirty ? (
        "Saving…"
      ) : (
        "Saved"
      )}
    </span>
  );
}

/** An edit of this live automation left unpublished on an earlier visit, offered back. */
function RestoreBanner({ state }: { state: DraftState }) {
  const { offer, restoreOffer, dismissOffer } = state;
  if (!offer) return null;
  return (
    <section className="fb-publish notice notice-warning" aria-label="Unpublished changes in this browser">
      <span>You have unpublished changes from {formatDateTime(offer.savedAt)}, kept in this browser.</span>
      <button type="button" className="button-primary" onClick={restoreOffer}>
        Restore
      </button>
      <button type="button" onClick={dismissOffer}>
        Discard
      </button>
    </section>
  );
}

function Problems({ issues }: { issues: ReadonlyMap<string, string[]> }) {
  const all = [...issues.values()].flat();
  if (all.length === 0) return null;
  return (
    <details className="fb-problems">
      <summary>{all.length === 1 ? "1 problem" : `${all.length} problems`} to fix before activation</summary>
      <ul>
        {all.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </details>
  );
}

/**
 * One automation: its name, status and status changes on top; tabs (`?tab=`) for the
 * builder canvas, the report on the same canvas, its runs and its versions.
 */
export function AutomationEditor({ automationId }: { automationId: string }) {
  const state = useAutomationDraft(automationId);
  const catalog = useCatalog();
  const [params, setParams] = useSearchParams();
  const asked = params.get("tab");
  const tab: Tab = TABS.some((t) => t.id === asked) ? (asked as Tab) : "builder";
  const [refused, setRefused] = useState<string[]>([]);
  const { automation, draft, edit } = state;

  const issues = useMemo(
    () => (draft ? collectIssues(draft, catalog.catalog, refused) : new Map<string, string[]>()),
    [draft, catalog.catalog, refused],
  );
  const problems = [...issues.values()].reduce((n, list) => n + list.length, 0);
  const onEdit = useCallback(
    (change: (d: Definition) => Definition) => {
      setRefused([]);
      edit(change);
    },
    [edit],
  );
  const published = useMemo(() => (automation ? definitionOf(automation) : null), [automation]);

  if (state.loadError) return <ErrorNotice error={state.loadError} title="Could not load the automation" />;
  if (!automation || !draft || !published) return <Loading label="Loading the automation…" />;

  return (
    <div className="fb-editor">
      <title>{`${draft.name} · Mailwright`}</title>
      <header className="fb-header">
        <Link to="/automations" className="fb-back">
          ← Automations
        </Link>
        <input
          className="fb-name"
          aria-label="Automation name"
          value={draft.name}
          maxLength={255}
          onChange={(e) => onEdit((d) => ({ ...d, name: e.target.value }))}
        />
        <StatusBadge status={automation.status} />
        <span className="muted">v{automation.version}</span>
        <SaveIndicator state={state} />
        <StatusActions
          automation={automation}
          names={catalog.names}
          problems={problems}
          setStatus={state.setStatus}
          onRefused={setRefused}
        />
      </header>
      <LeaveGuard when={state.unpublished} version={automation.version} onDiscard={state.discard} />
      <RestoreBanner state={state} />
      {state.unpublished ? (
        <PublishBar
          version={automation.version}
          problems={problems}
          publish={state.publish}
          discard={state.discard}
          onRefused={setRefused}
        />
      ) : null}
      <nav className="fb-tabs" aria-label="Automation views">
        {TABS.map((t) => (
          <Link
            key={t.id}
            to={`?tab=${t.id}`}
            aria-current={t.id === tab ? "page" : undefined}
            onClick={(e) => {
              e.preventDefault();
              setParams(t.id === "builder" ? {} : { tab: t.id });
            }}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <ErrorNotice error={catalog.error} title="Could not load fields, lists or templates" />
      {tab === "builder" ? (
        <>
          <Problems issues={issues} />
          {/* Drawn once the names are in, rather than twice (ids first, names later). */}
          {catalog.data || catalog.error ? (
            <BuilderTab definition={draft} catalog={catalog.data} names={catalog.names} issues={issues} onEdit={onEdit} />
          ) : (
            <Loading label="Loading fields, lists and templates…" />
          )}
        </>
      ) : null}
      {tab === "reports" ? <ReportsTab automationId={automation.id} definition={published} names={catalog.names} /> : null}
      {tab === "runs" ? <RunsTab automationId={automation.id} definition={published} names={catalog.names} /> : null}
      {tab === "versions" ? (
        <VersionsTab key={automation.version} automationId={automation.id} current={automation.version} names={catalog.names} />
      ) : null}
    </div>
  );
}
