import { useState } from "react";
import { ApiError } from "../../api/client.ts";
import { ActionDialog } from "./ActionDialog.tsx";
import { issueText } from "../../../../src/core/flow/validate.ts";
import { serverMessages } from "../model/issues.ts";

/**
 * A live automation's unpublished edits: publishing makes a new version, and the user
 * chooses what contacts already in the automation do (DESIGN §4, "Editing a live automation").
 */
export function PublishBar({
  version,
  problems,
  publish,
  discard,
  onRefused,
}: {
  version: number;
  problems: number;
  publish: (inFlight: "move" | "keep") => Promise<void>;
  discard: () => void;
  onRefused: (messages: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const [inFlight, setInFlight] = useState<"move" | "keep">("move");

  async function confirm() {
    try {
      await publish(inFlight);
      onRefused([]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        const messages = serverMessages(err.fieldErrors);
        onRefused(messages);
        throw new Error(`Not published: ${messages.map((m) => issueText(m)).join(" ")}`, { cause: err });
      }
      throw err;
    }
  }

  return (
    <div className="fb-publish notice notice-warning" role="status">
      <span>Unpublished changes (live version is v{version}).</span>
      <button type="button" className="button-primary" onClick={() => setOpen(true)}>
        Publish changes
      </button>
      <button type="button" onClick={discard}>
        Discard changes
      </button>
      {open ? (
        <ActionDialog title={`Publish version ${version + 1}?`} confirmLabel="Publish" onConfirm={confirm} onClose={() => setOpen(false)}>
          <fieldset className="fb-fieldset">
            <legend>Contacts already in the automation</legend>
            <label className="fb-choice">
              <input type="radio" name="in_flight" value="move" checked={inFlight === "move"} onChange={() => setInFlight("move")} />
              <span>
                <strong>Move them to the new version</strong> (default). Each continues from the step it is on; delays already running keep
                their wake time. A contact on a step this edit removes leaves the automation.
              </span>
            </label>
            <label className="fb-choice">
              <input type="radio" name="in_flight" value="keep" checked={inFlight === "keep"} onChange={() => setInFlight("keep")} />
              <span>
                <strong>Keep them on the version they entered.</strong> They finish the steps they started with; only contacts who enter
                from now on follow the new version.
              </span>
            </label>
          </fieldset>
          {problems > 0 ? (
            <p className="notice notice-warning">
              The builder sees {problems === 1 ? "1 problem" : `${problems} problems`}: a live automation must stay valid, so publishing
              will be refused.
            </p>
          ) : null}
        </ActionDialog>
      ) : null}
    </div>
  );
}
