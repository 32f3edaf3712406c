/**
 * The engine's reason and outcome codes in a marketer's words: the Runs tab, a run's page
 * and a contact's timeline say why, never `automation_disabled` or `reentry`.
 */

function duration(hours: number): string {
  if (hours % 24 === 0) {
    const days = hours / 24;
    return days === 1 ? "day" : `${days} days`;
  }
  return hours === 1 ? "hour" : `${hours} hours`;
}

/** Why the dispatcher did not let a contact in. */
export function refusalWords(reason: string, reentryHours?: number): string {
  switch (reason) {
    case "reentry":
      return `already went through this automation in the last ${duration(reentryHours ?? 24)}`;
    case "quota":
      return "the account reached its monthly limit of automation runs";
    case "contact_deleted":
      return "the contact was deleted before the automation could start";
    default:
      return reason.replaceAll("_", " ");
  }
}

/** Why a run left before its end. */
export function exitWords(reason: string | null): string {
  switch (reason) {
    case null:
      return "";
    case "automation_disabled":
      return "the automation was disabled";
    case "automation_deleted":
      return "the automation was deleted";
    case "step_removed":
      return "its step was removed when the automation was edited";
    case "contact_deleted":
      return "the contact was deleted";
    case "cycle":
      return "the steps loop without a wait";
    case "cancelled":
      return "cancelled by a user";
    default:
      return reason.replaceAll("_", " ");
  }
}

export const RUN_STATUS_WORDS: Record<string, string> = {
  active: "In progress",
  completed: "Completed",
  exited: "Left early",
  failed: "Failed",
};

/** What happened at a step, by its type and journal outcome. */
export function outcomeWords(type: string, outcome: string): string {
  if (type === "delay") return outcome === "waiting" ? "started waiting" : outcome === "done" ? "wait over" : outcome;
  if (type === "condition") return outcome === "yes" ? "Yes" : outcome === "no" ? "No" : outcome;
  if (type === "send_email") return outcome === "queued" ? "email queued" : outcome === "skipped" ? "email skipped" : outcome;
  return outcome === "done" ? "done" : outcome.replaceAll("_", " ");
}
