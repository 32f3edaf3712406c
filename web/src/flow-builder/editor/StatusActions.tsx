import { useEffect, useState } from "react";
import type { Automation } from "../../api/automations.ts";
import { api, ApiError } from "../../api/client.ts";
import { ActionDialog } from "./ActionDialog.tsx";
import { serverMessages } from "../model/issues.ts";
import type { Report } from "../model/report-types.ts";
import { type Names, summarizeTrigger } from "../model/summarize.ts";

type Action = "activate" | "pause" | "disable";

function InFlight({ automationId }: { automationId: number }) {
  const [active, setActive] = useState<number | null>(null);
  useEffect(() => {
    let current = true;
    api<{ data: Report }>("GET", `/api/automations/${automationId}/report`).then(
      ({ data }) => current && setActive(data.active),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [automationId]);
  return <strong data-testid="in-flight-count">{active === null ? "…" : active === 1 ? "1 contact" : `${active} contacts`}</strong>;
}

/** Exactly what each status change does to new entries and to contacts in flight (DESIGN §4). */
function Explanation({ action, automation, names }: { action: Action; automation: Automation; names: Names }) {
  const inFlight = <InFlight automationId={automation.id} />;
  if (action === "pause") {
    return (
      <>
        <p>No new contacts enter while it is paused.</p>
        <p>
          The {inFlight} already in it carry on through their steps: delays keep running and their emails still go out. To stop them as
          well, disable the automation instead.
        </p>
      </>
    );
  }
  if (action === "disable") {
    return (
      <>
        <p>No new contacts enter.</p>
        <p>
          Of the {inFlight} in it now, those waiting in a delay are removed at once; a contact whose step is executing at this moment
          finishes that step and is then removed. Their runs show “The automation was disabled”, and activating again does not bring them
          back.
        </p>
      </>
    );
  }
  const trigger = summarizeTrigger(automation.trigger, names);
  if (automation.status === "draft") {
    return (
      <>
        <p>
          From now on, each contact that matches the trigger — <em>{trigger}</em> — enters and moves through the steps; emails are sent.
          Contacts who matched before now do not enter.
        </p>
        <p>After activation, edits are published as new versions (you choose what happens to contacts in flight).</p>
      </>
    );
  }
  if (automation.status === "paused") {
    return (
      <p>
        New contacts matching <em>{trigger}</em> enter again. The {inFlight} in it kept moving while it was paused and carry on.
      </p>
    );
  }
  return (
    <p>
      New contacts matching <em>{trigger}</em> enter again. Contacts removed when it was disabled stay removed.
    </p>
  );
}

const LABELS: Record<Action, (a: Automation) => string> = {
  activate: (a) => (a.status === "paused" ? "Resume" : "Activate"),
  pause: () => "Pause",
  disable: () => "Disable",
};

export function StatusActions({
  automation,
  names,
  problems,
  setStatus,
  onRefused,
}: {
  automation: Automation;
  names: Names;
  /** Problems the builder sees now; activation will be refused while there are any. */
  problems: number;
  setStatus: (action: Action) => Promise<Automation>;
  /** The 422's messages, to show on the nodes they name. */
  onRefused: (messages: string[]) => void;
}) {
  const [open, setOpen] = useState<Action | null>(null);
  const actions: Action[] =
    automation.status === "active" ? ["pause", "disable"] : automation.status === "paused" ? ["activate", "disable"] : ["activate"];

  async function run(action: Action) {
    try {
      await setStatus(action);
      onRefused([]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        const messages = serverMessages(err.fieldErrors);
        onRefused(messages);
        throw new Error(
          `Activation refused: ${messages.length === 1 ? "1 problem" : `${messages.length} problems`}, shown on the steps they name.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  return (
    <div className="fb-status-actions">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          className={action === "activate" ? "button-primary" : action === "disable" ? "button-danger" : undefined}
          onClick={() => setOpen(action)}
        >
          {LABELS[action](automation)}
        </button>
      ))}
      {open ? (
        <ActionDialog
          title={`${LABELS[open](automation)} “${automation.name}”?`}
          confirmLabel={LABELS[open](automation)}
          danger={open === "disable"}
          onConfirm={() => run(open)}
          onClose={() => setOpen(null)}
        >
          <Explanation action={open} automation={automation} names={names} />
          {open === "activate" && problems > 0 ? (
            <p className="notice notice-warning">
              The builder sees {problems === 1 ? "1 problem" : `${problems} problems`}; activation is refused until they are fixed.
            </p>
          ) : null}
        </ActionDialog>
      ) : null}
    </div>
  );
}
