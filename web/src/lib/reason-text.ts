/**
 * The one map from the machine codes the API answers (exit reasons, entry refusals, skip
 * reasons) to the sentence the app shows. The API keeps its codes (`exit_reason:
 * "automation_disabled"`, report keys); only the web app words them. An unknown code still
 * reads as words, so a reason added on the server shows up before it is worded here.
 */
export const REASON_TEXT: Readonly<Record<string, string>> = {
  // Why a run left an automation before its end.
  automation_disabled: "The automation was disabled",
  automation_deleted: "The automation was deleted",
  contact_deleted: "The contact was deleted",
  step_removed: "An edit removed the step they were on",
  cycle: "The automation led back to a step already taken",
  goal_reached: "Reached the automation's goal",
  webhook_failed: "The webhook request failed",
  cancelled: "Cancelled by hand",
  // Why a contact was not let in.
  reentry: "Entered too recently (re-entry window)",
  quota: "The monthly run quota was used up",
  // Why an email was not sent.
  unsubscribed: "The contact is unsubscribed",
  frequency_cap: "The contact already got enough emails recently (frequency cap)",
  bounced: "The address bounced",
  complained: "The contact marked an email as spam",
};

export function reasonText(code: string): string {
  const known = REASON_TEXT[code];
  if (known !== undefined) return known;
  const words = code.replaceAll("_", " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
