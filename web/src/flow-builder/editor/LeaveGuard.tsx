import { useEffect, useRef } from "react";
import { useBlocker } from "react-router";

/**
 * Leaving a live automation with unpublished edits asks first (React Router's blocker; the
 * tab or window closing is `beforeunload`, in the draft hook). Leaving never publishes:
 * "Keep editing" stays, "Discard changes" forgets the edit, "Leave, keep my changes" leaves
 * it in this browser, offered back the next time the automation is opened.
 */
export function LeaveGuard({ when, version, onDiscard }: { when: boolean; version: number; onDiscard: () => void }) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => when && currentLocation.pathname !== nextLocation.pathname);
  const dialog = useRef<HTMLDialogElement>(null);
  const blocked = blocker.state === "blocked";

  useEffect(() => {
    const d = dialog.current;
    if (blocked && d && !d.open) d.showModal();
  }, [blocked]);

  // Published or discarded meanwhile (nothing left to lose): let a waiting navigation through.
  useEffect(() => {
    if (!when && blocker.state === "blocked") blocker.proceed();
  }, [when, blocker]);

  if (!blocked) return null;
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog fb-dialog fb-leave-dialog"
      aria-labelledby="fb-leave-title"
      onCancel={(e) => {
        e.preventDefault();
        blocker.reset?.();
      }}
    >
      <h2 id="fb-leave-title">Leave with unpublished changes?</h2>
      <p>
        Your changes are not published: contacts keep following the live version, v{version}. Publishing happens only from “Publish
        changes”.
      </p>
      <p className="muted">“Leave, keep my changes” keeps the edit in this browser; opening the automation again offers to restore it.</p>
      <div className="dialog-actions">
        <button type="button" className="button-primary" autoFocus onClick={() => blocker.reset?.()}>
          Keep editing
        </button>
        <button type="button" onClick={() => blocker.proceed?.()}>
          Leave, keep my changes
        </button>
        <button
          type="button"
          className="button-danger"
          onClick={() => {
            onDiscard();
            blocker.proceed?.();
          }}
        >
          Discard changes
        </button>
      </div>
    </dialog>
  );
}
