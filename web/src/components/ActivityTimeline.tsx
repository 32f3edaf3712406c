import { type ReactNode, useEffect, useState } from "react";
import { Link } from "react-router";
import type { ConditionOutcome } from "../../../src/core/engine/evaluate-condition.ts";
import { exitWords, outcomeWords, refusalWords } from "../lib/run-words.ts";
import { ConditionWhy } from "./ConditionWhy.tsx";
import { api, query } from "../api/client.ts";
import type { ActivityItem, ActivityPage } from "../api/contacts.ts";
import { useDataVersion } from "../lib/data-refresh.ts";
import { formatDateTime, formatValue } from "../lib/format.ts";
import { ErrorNotice, Loading } from "./PageState.tsx";

const str = (v: unknown): string => (typeof v === "string" ? v : formatValue(v));

function automationLink(item: ActivityItem): ReactNode {
  const name = str(item["automation"]);
  return typeof item["automation_id"] === "number" ? (
    <Link to={`/automations/${item["automation_id"]}`}>{name}</Link>
  ) : (
    <strong>{name}</strong>
  );
}

/** A step by the name the marketer knows it by; the id only when the server sent no name. */
function stepName(item: ActivityItem): ReactNode {
  return <strong>{str(item["step_name"] ?? item["step_id"])}</strong>;
}

/** One activity entry in words; unknown kinds still show their kind and details. */
function describe(item: ActivityItem, listName: (id: unknown) => string): ReactNode {
  switch (item.kind) {
    case "created":
      return "Contact created";
    case "field_updated":
      return (
        <>
          Field <code>{str(item["merge_tag"])}</code> changed from {formatValue(item["from"])} to <strong>{formatValue(item["to"])}</strong>
        </>
      );
    case "added_to_list":
      return <>Added to list {listName(item["list_id"])}</>;
    case "removed_from_list":
      return <>Removed from list {listName(item["list_id"])}</>;
    case "subscribed":
      return "Subscribed";
    case "unsubscribed":
      return "Unsubscribed";
    case "event":
      return (
        <>
          Event <code>{str(item["name"])}</code>
          {item["params"] && Object.keys(item["params"] as object).length > 0 ? <> with {JSON.stringify(item["params"])}</> : null}
        </>
      );
    case "run_entered":
      return <>Entered automation {automationLink(item)}</>;
    case "run_completed":
      return <>Completed automation {automationLink(item)}</>;
    case "run_exited":
    case "run_failed":
      return (
        <>
          {item.kind === "run_failed" ? "Failed in" : "Left"} automation {automationLink(item)}
          {item["reason"] ? <>: {exitWords(str(item["reason"]))}</> : null}
        </>
      );
    case "step": {
      const why = item["why"] as ConditionOutcome | undefined;
      return (
        <>
          {str(item["automation"])}: {stepName(item)} — {outcomeWords(str(item["type"]), str(item["outcome"]))}
          {why && Array.isArray(why.rules) ? <ConditionWhy why={why} listName={listName} /> : null}
        </>
      );
    }
    case "entry_refused":
      return (
        <>
          Not entered: {refusalWords(str(item["reason"]), typeof item["reentry_hours"] === "number" ? item["reentry_hours"] : undefined)} (
          {automationLink(item)})
        </>
      );
    case "email_queued":
      return <>Email {stepName(item)} queued</>;
    case "email_skipped":
      return (
        <>
          Email {stepName(item)} skipped{item["error"] ? <> ({str(item["error"])})</> : null}
        </>
      );
    case "email_sent":
      return <>Email {stepName(item)} sent</>;
    case "email_opened":
    case "email_clicked": {
      const what = item.kind === "email_opened" ? "Opened an email" : "Clicked a link";
      return (
        <>
          {what}
          {item["url"] ? <> ({str(item["url"])})</> : null}
          {item["bot"] ? <span className="muted"> — automated (scanner or prefetch), not counted</span> : null}
        </>
      );
    }
    case "email_unsubscribe_link":
      return "Used the unsubscribe link";
    default:
      return (
        <>
          {item.kind.replaceAll("_", " ")} <span className="muted">{JSON.stringify(item)}</span>
        </>
      );
  }
}

/** The contact's journey, newest first; "Load older" pages back with `before`. */
export function ActivityTimeline({ contactId, listName }: { contactId: string; listName: (id: unknown) => string }) {
  const [items, setItems] = useState<ActivityItem[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const version = useDataVersion();
  const base = `/api/contacts/${encodeURIComponent(contactId)}/activity`;

  useEffect(() => {
    let current = true;
    setLoading(true);
    api<ActivityPage>("GET", `${base}?limit=50`).then(
      (page) => {
        if (!current) return;
        setItems(page.data);
        setNextBefore(page.next_before);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (current) {
          setError(err instanceof Error ? err : new Error(String(err)));
          setLoading(false);
        }
      },
    );
    return () => {
      current = false;
    };
  }, [base, version]);

  async function older() {
    if (!nextBefore) return;
    setLoading(true);
    try {
      const page = await api<ActivityPage>("GET", `${base}${query({ limit: 50, before: nextBefore })}`);
      setItems((prev) => [...prev, ...page.data]);
      setNextBefore(page.next_before);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setLoading(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="activity-heading">
      <h2 id="activity-heading">Activity</h2>
      <ErrorNotice error={error} />
      {loading && items.length === 0 ? <Loading /> : null}
      {!loading && !error && items.length === 0 ? (
        <p className="muted">Nothing yet. Entries appear here as automations, emails and changes reach this contact.</p>
      ) : null}
      {items.length > 0 ? (
        <ol className="timeline">
          {items.map((item, i) => (
            <li key={`${item.at}-${item.kind}-${i}`} className={`timeline-item kind-${item.kind}`}>
              <time dateTime={item.at}>{formatDateTime(item.at)}</time>
              <div>{describe(item, listName)}</div>
            </li>
          ))}
        </ol>
      ) : null}
      {nextBefore ? (
        <button type="button" onClick={older} disabled={loading}>
          Load older activity
        </button>
      ) : null}
    </section>
  );
}
